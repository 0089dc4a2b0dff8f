package dev.vessel.cli.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * runc's --log FILE and --log-format text|json: errors appended there as runc (logrus) writes
 * them, since containerd, conmon and podman read that file for a failed command's message.
 * json: {"level":"error","msg":"...","time":"2006-01-02T15:04:05Z"}; text: time="..." level=error msg="...".
 */
final class RuntimeLog {
    private final Path file;
    private final boolean json;

    private RuntimeLog(Path file, boolean json) {
        this.file = file;
        this.json = json;
    }

    /** null when no --log was given. */
    static RuntimeLog of(String file, String format) {
        if (file == null || file.isEmpty()) {
            return null;
        }
        String f = format == null || format.isEmpty() ? "text" : format;
        if (!f.equals("text") && !f.equals("json")) {
            throw new IllegalArgumentException("invalid --log-format " + f + ": use text or json");
        }
        return new RuntimeLog(Path.of(file), f.equals("json"));
    }

    void error(String message) {
        write("error", message);
    }

    void warning(String message) {
        write("warning", message);
    }

    private void write(String level, String message) {
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String line = json
                ? "{\"level\":\"" + level + "\",\"msg\":" + quote(message) + ",\"time\":\"" + time + "\"}\n"
                : "time=\"" + time + "\" level=" + level + " msg=" + quote(message) + "\n";
        try {
            Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the error itself still goes to stderr
        }
    }

    /** A JSON string (also what logrus' text format prints for a quoted value). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
