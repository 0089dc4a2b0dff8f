package dev.vessel.disk.raw;

import dev.vessel.os.FileHoles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A raw file's hole map ({@link FileHoles}), opened once: on the caller's thread when it waits for
 * it, or on a thread of its own once {@link #start} asks (linking the native calls costs tens of
 * milliseconds of a fresh JVM's time, which a copy can spend reading). A file whose holes cannot
 * be looked up, or that is no longer the file the image opened, has none: all of it is data.
 */
final class HoleLookup {
    private final Path file;
    /** The identity (device and inode) of the file the image opened, or null when unsure. */
    private final Object fileKey;
    private boolean started;
    private boolean done;
    private boolean closed;
    private FileHoles map;

    HoleLookup(Path file, Object fileKey) {
        this.file = file;
        this.fileKey = fileKey;
    }

    /** The file's device and inode (BasicFileAttributes.fileKey), or null when it cannot be read. */
    static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Starts the lookup on a thread of its own, if it has not started yet. */
    synchronized void start() {
        if (!started && !closed) {
            started = true;
            Thread t = new Thread(() -> finish(lookUp()), "vessel-disk-holes");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The map, or null when there is none; with wait false, also null while the lookup is not done. */
    synchronized FileHoles get(boolean wait) {
        if (done || closed || !wait) {
            return map;
        }
        if (!started) {
            started = true;
            finish(lookUp());
            return map;
        }
        while (!done) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return map;
    }

    private FileHoles lookUp() {
        if (fileKey == null) {
            return null;
        }
        try {
            FileHoles map = FileHoles.open(file);
            if (!fileKey.equals(fileKey(file))) {
                map.close();
                return null;
            }
            return map;
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    private synchronized void finish(FileHoles found) {
        if (closed) {
            if (found != null) {
                found.close();
            }
        } else {
            map = found;
        }
        done = true;
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        if (map != null) {
            map.close();
            map = null;
        }
    }
}
