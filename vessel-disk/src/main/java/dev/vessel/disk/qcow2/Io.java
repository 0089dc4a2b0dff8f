package dev.vessel.disk.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads and writes that loop until done; reads past the end of the file give zeros. */
final class Io {
    private Io() {
    }

    static void read(FileChannel ch, long pos, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    static void write(FileChannel ch, long pos, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            pos += ch.write(src, pos);
        }
    }

    static void write(FileChannel ch, long pos, byte[] b, int off, int len) throws IOException {
        write(ch, pos, ByteBuffer.wrap(b, off, len));
    }

    /**
     * The first n big-endian longs of b as an array: one bulk swap-copy (a table of 8192 entries
     * decoded one getLong at a time costs milliseconds before the JIT has compiled the loop).
     */
    static long[] longs(ByteBuffer b, int n) {
        long[] t = new long[n];
        b.duplicate().clear().asLongBuffer().get(t);
        return t;
    }

    /** t[from, to) as big-endian bytes, ready to write. */
    static ByteBuffer bytes(long[] t, int from, int to) {
        ByteBuffer b = ByteBuffer.allocate((to - from) * 8);
        b.asLongBuffer().put(t, from, to - from);
        return b;
    }

    static void zero(ByteBuffer b) {
        int p = b.position();
        int n = b.remaining();
        if (b.hasArray()) {
            java.util.Arrays.fill(b.array(), b.arrayOffset() + p, b.arrayOffset() + p + n, (byte) 0);
            b.position(p + n);
        } else {
            while (b.remaining() >= 8) {
                b.putLong(0L);
            }
            while (b.hasRemaining()) {
                b.put((byte) 0);
            }
        }
    }
}
