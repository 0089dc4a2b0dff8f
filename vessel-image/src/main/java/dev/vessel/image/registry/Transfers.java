package dev.vessel.image.registry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs blob transfers a few at a time; the first failure stops the rest (each transfer checks
 * {@link #failed()} as it goes) and is rethrown.
 */
final class Transfers {
    interface Task {
        void run() throws IOException;
    }

    private final int parallel;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Transfers(int parallel) {
        this.parallel = Math.max(1, parallel);
    }

    boolean failed() {
        return failure.get() != null;
    }

    void runAll(List<Task> tasks) throws IOException {
        if (tasks.isEmpty()) {
            return;
        }
        if (tasks.size() == 1 || parallel == 1) {
            for (Task task : tasks) {
                task.run();
            }
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, tasks.size()), r -> {
            Thread thread = new Thread(r, "vessel-transfer");
            thread.setDaemon(true);
            return thread;
        })) {
            List<Future<?>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    if (failed()) {
                        return null;
                    }
                    try {
                        task.run();
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pool.shutdownNow();
                    throw new java.io.InterruptedIOException("interrupted during transfers");
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                }
            }
        }
        Throwable first = failure.get();
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first != null) {
            throw new IOException(first);
        }
    }
}
