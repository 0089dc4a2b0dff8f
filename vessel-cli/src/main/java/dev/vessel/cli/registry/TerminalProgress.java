package dev.vessel.cli.registry;

import dev.vessel.image.registry.TransferListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A line per blob on the terminal, redrawn in place a few times a second: short digest, state,
 * bytes done of total and speed. Used only when the output is a terminal.
 */
final class TerminalProgress implements TransferListener, AutoCloseable {
    private static final class Line {
        final String id;
        final long size;
        final long started = System.nanoTime();
        volatile long bytes;
        volatile String status;

        Line(String id, long size) {
            this.id = id;
            this.size = size;
        }
    }

    private final PrintWriter out;
    private final String verb;
    private final Map<String, Line> lines = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private int drawn;

    TerminalProgress(PrintWriter out, String verb) {
        this.out = out;
        this.verb = verb;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "vessel-progress");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::draw, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void started(String digest, long size) {
        synchronized (lines) {
            lines.computeIfAbsent(digest, d -> new Line(d.substring(d.indexOf(':') + 1, Math.min(d.length(), d.indexOf(':') + 13)), size));
        }
    }

    @Override
    public void progressed(String digest, long bytes) {
        Line line = line(digest);
        if (line != null) {
            line.bytes = bytes;
        }
    }

    @Override
    public void finished(String digest, String status) {
        Line line = line(digest);
        if (line != null) {
            line.status = status;
        }
    }

    @Override
    public void retrying(String digest, String reason) {
        Line line = line(digest);
        if (line != null) {
            line.status = null;
        }
    }

    private Line line(String digest) {
        synchronized (lines) {
            return lines.get(digest);
        }
    }

    private synchronized void draw() {
        List<Line> snapshot;
        synchronized (lines) {
            snapshot = new ArrayList<>(lines.values());
        }
        StringBuilder text = new StringBuilder();
        if (drawn > 0) {
            text.append("\033[").append(drawn).append('A');
        }
        for (Line line : snapshot) {
            text.append("\033[2K").append(line.id).append(": ");
            if (line.status != null) {
                text.append(line.status);
            } else {
                double seconds = Math.max(1e-3, (System.nanoTime() - line.started) / 1e9);
                text.append(String.format(Locale.ROOT, "%-11s %9s / %-9s %9s/s", verb, size(line.bytes), size(line.size),
                        size((long) (line.bytes / seconds))));
            }
            text.append('\n');
        }
        drawn = snapshot.size();
        out.print(text);
        out.flush();
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        draw();
    }
}
