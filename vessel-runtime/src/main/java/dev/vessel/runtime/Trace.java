package dev.vessel.runtime;

/** VESSEL_TRACE=1: milliseconds spent between steps of a runtime operation, on stderr (for tuning start-up). */
public final class Trace {
    private static final boolean ON = System.getenv("VESSEL_TRACE") != null;
    private static long last = System.nanoTime();

    private Trace() {
    }

    public static void mark(String step) {
        if (ON) {
            long now = System.nanoTime();
            System.err.printf("vessel-trace %-28s %6.1f ms%n", step, (now - last) / 1e6);
            last = now;
        }
    }
}
