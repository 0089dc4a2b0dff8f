package dev.vessel.disk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** File-to-file copies in the kernel (copy_file_range, through FileChannel.transferFrom), and read-only maps. */
public final class FileCopy {
    private static final int FALLBACK_CHUNK = 1 << 20;

    private FileCopy() {
    }

    /**
     * Copies src bytes [srcPos, srcPos+len) to dst at dstPos. Bytes past the end of src are copied as
     * zeros. Moves src's position (callers own src; it is locked for the copy).
     */
    public static void copy(FileChannel src, long srcPos, FileChannel dst, long dstPos, long len)
            throws IOException {
        synchronized (src) {
            src.position(srcPos);
            while (len > 0) {
                // Nothing moves when dst is shorter than dstPos or src has ended: copy the rest by hand.
                long n = dst.transferFrom(src, dstPos, len);
                if (n <= 0) {
                    copyByHand(src, srcPos, dst, dstPos, len);
                    return;
                }
                srcPos += n;
                dstPos += n;
                len -= n;
            }
        }
    }

    /**
     * Maps file bytes from start, at most maxLength and not past the file's end, read-only into
     * arena; null when start is at or past the end.
     */
    public static MemorySegment map(FileChannel file, long start, long maxLength, Arena arena) throws IOException {
        long length = Math.min(maxLength, file.size() - start);
        return start < 0 || length <= 0 ? null : file.map(FileChannel.MapMode.READ_ONLY, start, length, arena);
    }

    /** Fills b's remaining bytes from src at pos; past the end of src with zeros. */
    static void readFully(FileChannel src, long pos, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int n = src.read(b, pos);
            if (n < 0) {
                while (b.hasRemaining()) {
                    b.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    private static void copyByHand(FileChannel src, long srcPos, FileChannel dst, long dstPos, long len)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(len, FALLBACK_CHUNK));
        while (len > 0) {
            b.clear().limit((int) Math.min(len, b.capacity()));
            readFully(src, srcPos, b);
            int done = b.flip().remaining();
            long q = dstPos;
            while (b.hasRemaining()) {
                q += dst.write(b, q);
            }
            srcPos += done;
            dstPos += done;
            len -= done;
        }
    }
}
