package dev.vessel.disk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The files of a source chain mapped read-only, window by window, for a bulk copy: its reader looks
 * at a run of plain data where it lies (no copy into a buffer), and its writer hands the kernel the
 * mapped bytes, which then copies them once, into the destination. Only the reader maps and
 * unmaps (unmapping takes a while, and the writer is the one a copy waits for); a window stays
 * mapped while a chunk given to the writer holds it. Thread-safe.
 */
final class MappedWindows implements AutoCloseable {
    /** A multiple of the chunk size, so that a file read in chunk order fills each window whole. */
    static final long WINDOW = 64L << 20;
    /** Windows kept mapped though no chunk holds them, the most recently used (the reader's own). */
    private static final int KEPT = 4;

    /** A window of one layer's file, and how many chunks in the writer's hands hold it. */
    static final class Window {
        private final Arena arena;
        private final ByteBuffer bytes;
        /** Counted up by the reader, down by the writer (without a lock: the reader may be unmapping). */
        private final AtomicInteger holders = new AtomicInteger();

        private Window(Arena arena, ByteBuffer bytes) {
            this.arena = arena;
            this.bytes = bytes;
        }
    }

    /** A run of mapped bytes, holding its window until {@link #release}d. */
    record Run(Window window, ByteBuffer bytes) {
    }

    /** A window's layer and start. Not a record: a record's first hashCode costs milliseconds (an indy bootstrap). */
    private static final class Key {
        private final BlockDevice layer;
        private final long start;

        Key(BlockDevice layer, long start) {
            this.layer = layer;
            this.start = start;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.layer == layer && k.start == start;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(layer) * 31 + Long.hashCode(start);
        }
    }

    /** In the order of last use, the least recent first. */
    private final LinkedHashMap<Key, Window> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Layers that had nothing to map (not plain files, like VHD): read from then on, not asked again. */
    private final Set<BlockDevice> unmappable = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    /**
     * The layer file's bytes [host, host+length), held for the writer; null when they cannot be
     * mapped whole within one window (the caller reads them instead).
     */
    synchronized Run hold(BlockDevice layer, long host, int length) throws DiskException {
        if (closed) {
            throw new DiskException(layer.path() + ": mapping closed");
        }
        long start = host - host % WINDOW;
        Key key = new Key(layer, start);
        Window w = open.get(key);
        if (w == null) {
            if (unmappable.contains(layer)) {
                return null;
            }
            unmapIdle();
            Arena arena = Arena.ofShared();
            MemorySegment s;
            try {
                s = layer.mapHost(start, WINDOW, arena);
            } catch (IOException | RuntimeException e) {
                s = null; // a file that cannot be mapped (some file systems): read, which says what is wrong if anything
            }
            if (s == null) {
                arena.close();
                unmappable.add(layer);
                return null;
            }
            w = new Window(arena, s.asByteBuffer());
            open.put(key, w);
        }
        if (host - start + length > w.bytes.capacity()) {
            return null;
        }
        w.holders.incrementAndGet();
        return new Run(w, w.bytes.slice((int) (host - start), length));
    }

    /** The writer (or the reader, for a run it does not hand on) is done with a run's bytes. */
    void release(Run run) {
        run.window().holders.decrementAndGet();
    }

    /** Unmaps windows no chunk holds, the least recently used first, down to {@link #KEPT}. */
    private void unmapIdle() {
        int idle = 0;
        for (Window w : open.values()) {
            idle += w.holders.get() == 0 ? 1 : 0;
        }
        for (Iterator<Window> it = open.values().iterator(); it.hasNext() && idle > KEPT - 1; ) {
            Window w = it.next();
            if (w.holders.get() == 0) {
                w.arena.close();
                it.remove();
                idle--;
            }
        }
    }

    /** Unmaps everything: after the writer is done with every chunk. */
    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(w -> w.arena.close());
        open.clear();
    }
}
