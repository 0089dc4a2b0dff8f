package dev.vessel.cli.image;

import dev.vessel.cli.format.Units;
import dev.vessel.image.archive.ProgressListener;
import java.io.PrintStream;

/** A byte counter on the terminal's stderr, redrawn at most every 200 ms; silent when not on a terminal. */
final class TerminalProgress implements ProgressListener, AutoCloseable {
    private final String label;
    private final PrintStream err = System.err;
    private final boolean enabled = System.console() != null;
    private long bytes;
    private long lastDraw;

    TerminalProgress(String label) {
        this.label = label;
    }

    @Override
    public void advanced(long n) {
        if (!enabled) {
            return;
        }
        bytes += n;
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L) {
            lastDraw = now;
            err.print("\r" + label + " " + Units.humanSize(bytes) + "   ");
            err.flush();
        }
    }

    @Override
    public void close() {
        if (enabled && lastDraw != 0) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
