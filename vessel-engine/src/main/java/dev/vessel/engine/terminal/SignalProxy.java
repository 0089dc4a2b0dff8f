package dev.vessel.engine.terminal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a foreground container runs, the signals vessel receives are passed on to it (Docker's
 * --sig-proxy) instead of ending vessel, which then still records the exit and cleans up.
 */
public final class SignalProxy implements AutoCloseable {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "USR1", "USR2");

    private final Map<String, SignalHandler> previous = new HashMap<>();

    public SignalProxy(IntConsumer forward) {
        for (String name : FORWARDED) {
            try {
                previous.put(name, Signal.handle(new Signal(name), signal -> forward.accept(signal.getNumber())));
            } catch (IllegalArgumentException reservedByTheJvm) {
                // the JVM keeps this one for itself
            }
        }
    }

    @Override
    public void close() {
        previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
    }
}
