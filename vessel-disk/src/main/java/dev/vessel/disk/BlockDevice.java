package dev.vessel.disk;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An open disk image (with its backing chain) seen as a byte-addressed device. Thread-safe.
 * Offsets and lengths are in bytes and need no alignment; accesses past {@link #size()} fail.
 */
public interface BlockDevice extends Closeable {
    /** The virtual size in bytes. */
    long size();

    ImageFormat format();

    Path path();

    boolean writable();

    /** Fills {@code dst} (all its remaining bytes) with the guest bytes at {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes all remaining bytes of {@code src} at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Makes the range read as zeros and frees what the image can free. */
    void discard(long offset, long length) throws IOException;

    /** Makes everything written so far durable (fsync). */
    void flush() throws IOException;

    /**
     * The storage status at {@code offset}, for a range of at most {@code maxLength} bytes that has
     * the same status throughout (never empty unless maxLength is 0).
     */
    Extent status(long offset, long maxLength) throws IOException;

    /**
     * As {@link #status}, but a device whose exact answer takes a while to prepare (a raw file's
     * hole map) answers data until {@link #prepareStatus} has made it ready: never zero where
     * there is data. For bulk copies, which find zeros by reading anyway.
     */
    default Extent statusNow(long offset, long maxLength) throws IOException {
        return status(offset, maxLength);
    }

    /** Starts preparing, in the background, what makes {@link #statusNow} exact (advice only). */
    default void prepareStatus() {
    }

    /**
     * Writes {@code length} bytes at {@code offset}, taken from file {@code src} at {@code srcPos}:
     * like {@link #write}, but devices that store the bytes plainly copy them file to file in the
     * kernel (no pass through a buffer). Bytes past the end of src count as zeros. May move src's
     * position. For bulk copies: commit.
     */
    default void writeFrom(FileChannel src, long srcPos, long offset, long length) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(length, 1 << 20));
        while (length > 0) {
            b.clear().limit((int) Math.min(length, b.capacity()));
            FileCopy.readFully(src, srcPos, b);
            int n = b.flip().remaining();
            write(offset, b);
            srcPos += n;
            offset += n;
            length -= n;
        }
    }

    /**
     * Maps read-only, into arena, the file this device keeps its plain data in (the one its own
     * extents' {@link Extent#hostOffset} counts in), from start for at most maxLength bytes and no
     * further than the file's end; null where there is nothing to map (start at or past the end,
     * or data not kept as plain bytes). For bulk copies, which look at the bytes in place.
     */
    default MemorySegment mapHost(long start, long maxLength, Arena arena) throws IOException {
        return null;
    }

    /**
     * Starts making what was written so far durable without waiting for it, so that a later
     * {@link #flush} has less left to do; advice only (the default does nothing).
     */
    default void startFlush() throws IOException {
    }

    /** The backing device, or null. */
    BlockDevice backing();

    default void read(long offset, byte[] buf, int off, int len) throws IOException {
        read(offset, ByteBuffer.wrap(buf, off, len));
    }

    default void write(long offset, byte[] buf, int off, int len) throws IOException {
        write(offset, ByteBuffer.wrap(buf, off, len));
    }

    /** Closes this image and its backing chain. */
    @Override
    void close() throws IOException;
}
