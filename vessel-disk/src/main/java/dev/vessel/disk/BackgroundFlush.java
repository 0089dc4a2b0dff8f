package dev.vessel.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An fdatasync of an image file on a thread of its own, started while a bulk copy still writes, so
 * the disk works on the first part of the copy while the next is made: the final, synchronous fsync
 * (which may run alongside, and must still be called) then has less left to write. At most one runs
 * at a time; {@link #finish} waits for it and reports its failure.
 */
public final class BackgroundFlush {
    private final FileChannel ch;
    private final Path path;
    private Thread running;
    private IOException failure;

    public BackgroundFlush(FileChannel ch, Path path) {
        this.ch = ch;
        this.path = path;
    }

    /** Starts an fdatasync unless one is still under way. */
    public synchronized void start() {
        if (running != null && running.isAlive()) {
            return;
        }
        running = Thread.ofPlatform().daemon().name("vessel-disk-flush").start(() -> {
            try {
                ch.force(false);
            } catch (IOException e) {
                synchronized (this) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        });
    }

    /** Waits for the fdatasync under way, if any; throws what any of them failed with. */
    public void finish() throws IOException {
        Thread t;
        synchronized (this) {
            t = running;
        }
        if (t != null) {
            boolean interrupted = false;
            for (;;) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            running = null;
            if (failure != null) {
                IOException e = failure;
                failure = null;
                throw new DiskException(path + ": flushing to disk failed: " + e.getMessage(), e);
            }
        }
    }
}
