package dev.vessel.runtime;

/** VESSEL_TRACE=1: milliseconds spent between steps of a runtime operation, on stderr (for tuning start-up). */
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
                // the JVM's start and the CLI's parsing, before the first mark (clock-tick resolution)
                ProcessHandle.current().info().startInstant().ifPresent(start -> System.err.printf(
                        "vessel-trace %-28s %6.1f ms%n", "since the process started",
                        (double) (System.currentTimeMillis() - start.toEpochMilli())));
                last = System.nanoTime();
            }
            long now = System.nanoTime();
            System.err.printf("vessel-trace %-28s %6.1f ms%n", step, (now - last) / 1e6);
            last = now;
        }
    }
}
