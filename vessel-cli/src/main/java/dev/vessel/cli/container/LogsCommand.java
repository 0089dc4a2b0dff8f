package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.cli.format.Units;
import dev.vessel.engine.container.ContainerRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import picocli.CommandLine.Model.CommandSpec;

final class LogsCommand extends ContainerCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    boolean follow;
    boolean timestamps;
    String tail;
    String since;
    String container;

    /** A fresh model of `logs`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        LogsCommand c = new LogsCommand();
        SpecBuilder s = SpecBuilder.command(c, "logs", "Fetch the logs of a container");
        s.flag(v -> c.follow = v, "Follow log output", "-f", "--follow");
        s.flag(v -> c.timestamps = v, "Show timestamps", "-t", "--timestamps");
        s.option("all", v -> c.tail = v, "Number of lines to show from the end of the logs", "-n", "--tail");
        s.option(String.class, v -> c.since = v, "Show logs since timestamp (2013-01-02T13:23:37Z) or relative (42m)",
                "--since");
        s.positional("0", "CONTAINER", v -> c.container = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int execute() throws Exception {
        ContainerRecord record = containers().find(container);
        Path log = containers().logFile(record);
        Instant from = since == null ? null : sinceInstant(since);
        int keep = tail.equals("all") ? -1 : parseTail(tail);
        if (!Files.exists(log)) {
            return 0;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(log),
                StandardCharsets.UTF_8))) {
            Deque<JsonNode> last = new ArrayDeque<>();
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode entry = parse(line);
                if (entry == null || from != null && Instant.parse(entry.get("time").asText()).isBefore(from)) {
                    continue;
                }
                if (keep < 0) {
                    print(entry);
                } else if (keep > 0) {
                    last.addLast(entry);
                    if (last.size() > keep) {
                        last.removeFirst();
                    }
                }
            }
            last.forEach(this::print);
            out().flush();
            err().flush();
            while (follow) {
                line = reader.readLine();
                if (line != null) {
                    JsonNode entry = parse(line);
                    if (entry != null) {
                        print(entry);
                        out().flush();
                        err().flush();
                    }
                    continue;
                }
                if (!containers().find(record.id()).state().running()) {
                    // Drain what the monitor wrote before the container ended.
                    while ((line = reader.readLine()) != null) {
                        JsonNode entry = parse(line);
                        if (entry != null) {
                            print(entry);
                        }
                    }
                    break;
                }
                Thread.sleep(100);
            }
        }
        return 0;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode entry = JSON.readTree(line);
            return entry != null && entry.has("log") && entry.has("time") ? entry : null;
        } catch (IOException partial) {
            return null;
        }
    }

    private void print(JsonNode entry) {
        PrintWriter stream = "stderr".equals(entry.path("stream").asText()) ? err() : out();
        String text = entry.get("log").asText();
        if (timestamps) {
            stream.print(entry.get("time").asText() + " ");
        }
        stream.print(text);
    }

    private static int parseTail(String text) {
        try {
            return Math.max(0, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid --tail '" + text + "': a number or all");
        }
    }

    static Instant sinceInstant(String text) {
        if (text.matches("\\d+[smh]")) {
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            Duration duration = switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            return Instant.now().minus(duration);
        }
        Instant instant = Units.parseTime(text);
        if (instant == null) {
            throw new IllegalArgumentException("invalid --since '" + text + "': use a time such as 2024-01-02T13:23:37Z or a duration such as 42m");
        }
        return instant;
    }
}
