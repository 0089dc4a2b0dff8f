package dev.vessel.runtime;

/**
 * VESSEL_TRACE=1: milliseconds spent between steps of a runtime operation, on stderr (for tuning
 * start-up). VESSEL_TRACE=$(date +%s%N) also gives the time from then to the first step.
 */
public final class Trace {
    private static final boolean ON = System.getenv("VESSEL_TRACE") != null;
    private static long last = System.nanoTime();

    private Trace() {
    }

    private static boolean first = true;

    public static void mark(String step) {
        if (ON) {
            if (first) {
                first = false;
                // the JVM's start and the CLI's parsing, before the first mark
                String since = System.getenv("VESSEL_TRACE");
                if (since.length() > 10 && since.chars().allMatch(Character::isDigit)) {
                    java.time.Instant now = java.time.Instant.now();
                    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - Long.parseLong(since);
                    System.err.printf("vessel-trace %-28s %6.1f ms%n", "since VESSEL_TRACE was set", nanos / 1e6);
                }
                last = System.nanoTime();
            }
            long now = System.nanoTime();
            System.err.printf("vessel-trace %-28s %6.1f ms%n", step, (now - last) / 1e6);
            last = now;
        }
    }
}
