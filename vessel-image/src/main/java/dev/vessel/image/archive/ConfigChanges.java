package dev.vessel.image.archive;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vessel.image.ImageException;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Docker's {@code --change} instructions (Dockerfile syntax) applied to an image config:
 * CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL.
 */
public final class ConfigChanges {
    private ConfigChanges() {
    }

    public static ImageConfig.Config apply(ImageConfig.Config config, List<String> changes) throws ImageException {
        ImageConfig.Config result = config;
        for (String change : changes) {
            result = applyOne(result, change.strip());
        }
        return result;
    }

    private static ImageConfig.Config applyOne(ImageConfig.Config c, String change) throws ImageException {
        int space = indexOfWhitespace(change);
        String instruction = (space < 0 ? change : change.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : change.substring(space).strip();
        if (args.isEmpty()) {
            throw new ImageException("invalid --change \"" + change + "\": " + instruction + " needs an argument");
        }
        return switch (instruction) {
            case "CMD" -> new ImageConfig.Config(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), command(args),
                    c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped());
            case "ENTRYPOINT" -> new ImageConfig.Config(c.user(), c.exposedPorts(), c.env(), command(args), null,
                    c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped());
            case "ENV" -> new ImageConfig.Config(c.user(), c.exposedPorts(), env(c.env(), keyValues(args, change)),
                    c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped());
            case "WORKDIR" -> new ImageConfig.Config(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                    c.volumes(), workdir(c.workingDir(), args), c.labels(), c.stopSignal(), c.argsEscaped());
            case "USER" -> new ImageConfig.Config(args, c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                    c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped());
            case "LABEL" -> {
                Map<String, String> labels = new TreeMap<>(c.labels() == null ? Map.of() : c.labels());
                labels.putAll(keyValues(args, change));
                yield new ImageConfig.Config(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                        c.volumes(), c.workingDir(), labels, c.stopSignal(), c.argsEscaped());
            }
            case "EXPOSE" -> {
                Map<String, Object> ports = new TreeMap<>(c.exposedPorts() == null ? Map.of() : c.exposedPorts());
                for (String port : words(args, change)) {
                    ports.put(port.contains("/") ? port : port + "/tcp", Map.of());
                }
                yield new ImageConfig.Config(c.user(), ports, c.env(), c.entrypoint(), c.cmd(), c.volumes(),
                        c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped());
            }
            case "VOLUME" -> {
                Map<String, Object> volumes = new TreeMap<>(c.volumes() == null ? Map.of() : c.volumes());
                List<String> paths = args.startsWith("[") ? jsonArray(args, change) : words(args, change);
                for (String path : paths) {
                    volumes.put(path, Map.of());
                }
                yield new ImageConfig.Config(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), volumes,
                        c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped());
            }
            case "STOPSIGNAL" -> new ImageConfig.Config(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                    c.volumes(), c.workingDir(), c.labels(), args, c.argsEscaped());
            default -> throw new ImageException("invalid --change \"" + change + "\": " + instruction
                    + " is not supported (use CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME or WORKDIR)");
        };
    }

    /** Exec form {@code ["a","b"]} as is; shell form runs through {@code /bin/sh -c}. */
    private static List<String> command(String args) throws ImageException {
        if (args.startsWith("[")) {
            try {
                return jsonArray(args, args);
            } catch (ImageException e) {
                // Docker treats a malformed JSON array as shell form.
            }
        }
        return List.of("/bin/sh", "-c", args);
    }

    private static List<String> jsonArray(String args, String change) throws ImageException {
        try {
            return Json.mapper().readValue(args, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new ImageException("invalid --change \"" + change + "\": not a JSON array of strings");
        }
    }

    private static List<String> env(List<String> env, Map<String, String> additions) {
        List<String> result = new ArrayList<>(env == null ? List.of() : env);
        for (Map.Entry<String, String> add : additions.entrySet()) {
            result.removeIf(e -> e.equals(add.getKey()) || e.startsWith(add.getKey() + "="));
            result.add(add.getKey() + "=" + add.getValue());
        }
        return result;
    }

    private static String workdir(String current, String path) {
        if (path.startsWith("/") || current == null || current.isEmpty()) {
            return path.startsWith("/") ? path : "/" + path;
        }
        return current.endsWith("/") ? current + path : current + "/" + path;
    }

    /** {@code K=V K2="v 2"}, or the legacy single pair {@code K value with spaces}. */
    private static Map<String, String> keyValues(String args, String change) throws ImageException {
        Map<String, String> result = new LinkedHashMap<>();
        List<String> words = words(args, change);
        if (!words.getFirst().contains("=")) {
            int space = indexOfWhitespace(args);
            if (space < 0) {
                throw new ImageException("invalid --change \"" + change + "\": expected KEY=VALUE or KEY VALUE");
            }
            result.put(args.substring(0, space), unquote(args.substring(space).strip(), change));
            return result;
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new ImageException("invalid --change \"" + change + "\": expected KEY=VALUE, got " + word);
            }
            result.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return result;
    }

    private static String unquote(String text, String change) throws ImageException {
        List<String> words = words(text, change);
        return words.size() == 1 ? words.getFirst() : text;
    }

    /** Splits on whitespace outside double or single quotes, removing the quotes (backslash escapes). */
    private static List<String> words(String text, String change) throws ImageException {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else if (ch == '\\' && quote == '"' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                } else {
                    current.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (ch == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                current.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new ImageException("invalid --change \"" + change + "\": unterminated quote");
        }
        if (inWord) {
            words.add(current.toString());
        }
        return words;
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
