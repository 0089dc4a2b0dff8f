package dev.vessel.os;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The image store's writer lock: one writer at a time across processes (an exclusive lock on
 * a file) and across threads of this JVM (a reentrant lock, since a JVM may hold a file lock
 * only once). Readers take no lock: everything they read is replaced atomically.
 */
public final class StoreLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Path, FileChannel> CHANNELS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock jvmLock;
    private FileLock fileLock;

    private StoreLock(Path file, ReentrantLock jvmLock) {
        this.file = file;
        this.jvmLock = jvmLock;
    }

    /** Blocks until this thread is the store's only writer. */
    public static StoreLock acquire(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        jvmLock.lock();
        StoreLock lock = new StoreLock(key, jvmLock);
        if (jvmLock.getHoldCount() == 1) {
            try {
                Files.createDirectories(key.getParent());
                FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                CHANNELS.put(key, channel);
                lock.fileLock = channel.lock();
            } catch (IOException | RuntimeException e) {
                closeChannel(key);
                jvmLock.unlock();
                throw e;
            }
        }
        return lock;
    }

    /** True when this is the outermost hold (the one that took the file lock). */
    public boolean outermost() {
        return fileLock != null;
    }

    @Override
    public void close() throws IOException {
        try {
            if (fileLock != null) {
                fileLock.release();
                closeChannel(file);
            }
        } finally {
            jvmLock.unlock();
        }
    }

    private static void closeChannel(Path key) throws IOException {
        FileChannel channel = CHANNELS.remove(key);
        if (channel != null) {
            channel.close();
        }
    }
}
