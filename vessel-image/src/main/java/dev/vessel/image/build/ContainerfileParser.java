package dev.vessel.image.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Containerfile into instructions the way Docker's parser does: parser directives
 * ({@code # escape=}), comments, line continuations with the escape character, flags, the
 * JSON exec form and here-documents. It checks syntax only; meaning is the builder's.
 */
public final class ContainerfileParser {
    static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV",
            "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL",
            "HEALTHCHECK", "SHELL");
    private static final Set<String> HEREDOC_KEYWORDS = Set.of("RUN", "COPY", "ADD");
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("(?<=^|\\s)<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\\2");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines;
    private int next;
    private char escape = '\\';

    private ContainerfileParser(String text) {
        this.lines = List.of(text.replace("\r\n", "\n").split("\n", -1));
    }

    public static Containerfile parse(String text) {
        ContainerfileParser parser = new ContainerfileParser(text);
        parser.readDirectives();
        List<Instruction> instructions = new ArrayList<>();
        Instruction instruction;
        while ((instruction = parser.readInstruction()) != null) {
            instructions.add(instruction);
        }
        return new Containerfile(parser.escape, List.copyOf(instructions));
    }

    private void readDirectives() {
        Set<String> seen = new java.util.HashSet<>();
        while (next < lines.size()) {
            Matcher directive = DIRECTIVE.matcher(lines.get(next).strip());
            if (!directive.matches()) {
                return;
            }
            String name = directive.group(1).toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw new ContainerfileException(next + 1, "the parser directive '" + name + "' is given twice");
            }
            if (name.equals("escape")) {
                String value = directive.group(2);
                if (!value.equals("\\") && !value.equals("`")) {
                    throw new ContainerfileException(next + 1, "invalid escape character '" + value + "': use \\ or `");
                }
                escape = value.charAt(0);
            }
            next++;
        }
    }

    private static boolean isBlankOrComment(String line) {
        String stripped = line.strip();
        return stripped.isEmpty() || stripped.charAt(0) == '#';
    }

    private Instruction readInstruction() {
        while (next < lines.size() && isBlankOrComment(lines.get(next))) {
            next++;
        }
        if (next >= lines.size()) {
            return null;
        }
        int startLine = next + 1;
        String logical = readLogicalLine();
        String[] parts = logical.strip().split("\\s+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        if (!KEYWORDS.contains(keyword)) {
            throw new ContainerfileException(startLine, "unknown instruction: " + parts[0]);
        }
        String rest = parts.length > 1 ? parts[1].strip() : "";
        Map<String, String> flags = new LinkedHashMap<>();
        rest = readFlags(rest, flags, startLine);
        List<Heredoc> heredocs = HEREDOC_KEYWORDS.contains(keyword) ? readHeredocs(rest, startLine) : List.of();
        List<String> execForm = heredocs.isEmpty() ? execForm(rest) : null;
        return new Instruction(startLine, keyword, flags, rest, execForm, heredocs);
    }

    /** Joins continuation lines; comment and blank lines inside a continuation are dropped, as Docker does. */
    private String readLogicalLine() {
        StringBuilder logical = new StringBuilder();
        while (next < lines.size()) {
            String line = lines.get(next++);
            String trimmed = line.stripTrailing();
            if (!trimmed.isEmpty() && trimmed.charAt(trimmed.length() - 1) == escape) {
                logical.append(trimmed, 0, trimmed.length() - 1);
                while (next < lines.size() && isBlankOrComment(lines.get(next))) {
                    next++;
                }
                continue;
            }
            logical.append(line);
            break;
        }
        return logical.toString();
    }

    private static String readFlags(String rest, Map<String, String> flags, int line) {
        String remaining = rest;
        while (remaining.startsWith("--")) {
            int end = 0;
            while (end < remaining.length() && !Character.isWhitespace(remaining.charAt(end))) {
                end++;
            }
            String flag = remaining.substring(2, end);
            if (flag.isEmpty()) {
                throw new ContainerfileException(line, "empty flag '--'");
            }
            int equals = flag.indexOf('=');
            String name = equals < 0 ? flag : flag.substring(0, equals);
            String value = equals < 0 ? "" : flag.substring(equals + 1);
            if (flags.putIfAbsent(name, value) != null) {
                throw new ContainerfileException(line, "flag --" + name + " is given twice");
            }
            remaining = remaining.substring(end).stripLeading();
        }
        return remaining;
    }

    private List<Heredoc> readHeredocs(String arguments, int line) {
        List<Heredoc> heredocs = new ArrayList<>();
        Matcher marker = HEREDOC.matcher(arguments);
        while (marker.find()) {
            boolean stripTabs = !marker.group(1).isEmpty();
            boolean quoted = !marker.group(2).isEmpty();
            String name = marker.group(3);
            StringBuilder content = new StringBuilder();
            boolean closed = false;
            while (next < lines.size()) {
                String body = lines.get(next++);
                if (stripTabs) {
                    body = body.replaceFirst("^\t+", "");
                }
                if (body.equals(name)) {
                    closed = true;
                    break;
                }
                content.append(body).append('\n');
            }
            if (!closed) {
                throw new ContainerfileException(line, "here-document '" + name + "' is not closed");
            }
            heredocs.add(new Heredoc(name, content.toString(), !quoted));
        }
        return List.copyOf(heredocs);
    }

    /**
     * The JSON array form (["a", "b"]); null when it is not a JSON array of strings, which is
     * shell form, as in Docker (HEALTHCHECK's CMD uses the same rule).
     */
    public static List<String> execForm(String arguments) {
        if (!arguments.startsWith("[")) {
            return null;
        }
        try {
            JsonNode array = JSON.readTree(arguments);
            if (array == null || !array.isArray()) {
                return null;
            }
            List<String> words = new ArrayList<>();
            for (JsonNode word : array) {
                if (!word.isTextual()) {
                    return null;
                }
                words.add(word.asText());
            }
            return List.copyOf(words);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }
}
