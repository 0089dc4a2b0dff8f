package dev.vessel.disk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only memory mapping of an image file, made on first use, for bulk copies that hand the
 * file's own bytes to a write without first copying them into a buffer (one copy in the kernel
 * instead of two). Mapped again, larger, when the file has grown; every mapping lives until close.
 */
public final class FileMapping implements AutoCloseable {
    private final FileChannel ch;
    private final List<Arena> arenas = new ArrayList<>();
    private MemorySegment segment;
    private boolean closed;

    public FileMapping(FileChannel ch) {
        this.ch = ch;
    }

    /**
     * A read-only view of file bytes [pos, pos+len), valid until close; null past the file's end
     * (a caller then reads the usual way, which gives zeros there).
     */
    public synchronized ByteBuffer view(long pos, int len) throws IOException {
        if (closed || pos < 0 || len < 0) {
            return null;
        }
        if (segment == null || pos + len > segment.byteSize()) {
            long size = ch.size();
            if (pos + len > size) {
                return null;
            }
            Arena arena = Arena.ofShared();
            try {
                segment = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            } catch (IOException | RuntimeException e) {
                arena.close();
                return null; // no mapping (e.g. no address space): callers fall back to reads
            }
            arenas.add(arena);
        }
        return segment.asSlice(pos, len).asByteBuffer().asReadOnlyBuffer();
    }

    @Override
    public synchronized void close() {
        closed = true;
        segment = null;
        for (Arena a : arenas) {
            a.close();
        }
        arenas.clear();
    }
}
