package dev.vessel.engine.build;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration syntax (30s, 1m30s, 500ms, 1h), which HEALTHCHECK's flags use, in nanoseconds. */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Durations() {
    }

    static long nanos(String text) {
        Matcher part = PART.matcher(text);
        long total = 0;
        int end = 0;
        while (part.lookingAt()) {
            double value = Double.parseDouble(part.group(1));
            long unit = switch (part.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total += Math.round(value * unit);
            end = part.end();
            part.region(end, text.length());
        }
        if (text.isEmpty() || end != text.length()) {
            throw new IllegalArgumentException("invalid duration '" + text + "': use for example 30s, 1m30s or 500ms");
        }
        return total;
    }
}
