package dev.vessel.disk;

import dev.vessel.disk.qcow2.Qcow2Image;
import dev.vessel.disk.raw.RawImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Bulk copies between devices (convert, commit, rebase) and whole-image reads (compare, map). */
final class Copier {
    private static final int CHUNK = 2 << 20;
    /** Commit copies and starts writeback in pieces of this size. */
    private static final long COMMIT_PIECE = 8 << 20;

    private Copier() {
    }

    /** True when some layer holds data in [off, off+len). */
    private static boolean hasData(BlockDevice d, long off, long len) throws IOException {
        return hasData(d, off, len, false);
    }

    /** As above; with now, as {@link BlockDevice#statusNow} answers (data where it cannot yet tell). */
    private static boolean hasData(BlockDevice d, long off, long len, boolean now) throws IOException {
        long end = off + len;
        while (off < end) {
            Extent e = now ? d.statusNow(off, end - off) : d.status(off, end - off);
            if (e.length() == 0) {
                return false;
            }
            if (e.data()) {
                return true;
            }
            off = e.end();
        }
        return false;
    }

    /**
     * True when b[from, to) is all zero bytes: data mostly shows itself in the first eight bytes,
     * else the whole range is compared with a zeroed buffer (a vectorised scan).
     */
    static boolean isZero(ByteBuffer b, int from, int to, ByteBuffer zeros) {
        if (to - from >= 8 && b.getLong(from) != 0) {
            return false;
        }
        return b.slice(from, to - from).mismatch(zeros.slice(0, to - from)) < 0;
    }

    /** The zero runs a copy other than qcow2 leaves unwritten: qemu-img convert's -S 4k. */
    static final int SPARSE_GRANULE = 4096;

    /**
     * A convert under way: its source is read ahead from the start, while the caller makes the
     * copy to write to (starting the reader costs a few milliseconds in a fresh JVM: mapping a raw
     * file's first window, for one). Closing stops the reader.
     */
    static final class Conversion implements AutoCloseable {
        final ReadAhead chunks;
        private final int granule;

        /** Starts reading in, for a copy that leaves all-zero granules of this size unwritten. */
        Conversion(BlockDevice in, int granule) {
            this.granule = granule;
            this.chunks = new ReadAhead(in, Math.max(CHUNK, granule), granule);
        }

        /** Writes the source's data into out; compressed, out is a qcow2 whose clusters are the granule. */
        void writeTo(BlockDevice out, boolean compress) throws IOException {
            if (compress && !(out instanceof Qcow2Image q && q.clusterSize() == granule)) {
                throw new IllegalArgumentException("compressed copies go to a qcow2 whose clusters are the granule");
            }
            byte[] cluster = compress ? new byte[granule] : null;
            for (ReadAhead.Chunk c; (c = chunks.next()) != null; chunks.release(c)) {
                try {
                    writeChunk(out, c, granule, cluster);
                } catch (IOException e) {
                    // EFAULT: the kernel found no page behind the mapped bytes, the source's file shrank
                    if (c.run() != null && "Bad address".equals(e.getMessage())) {
                        throw new DiskException(chunks.in.path() + " changed while being copied (a file of it was cut short)", e);
                    }
                    throw e;
                }
            }
        }

        @Override
        public void close() {
            chunks.close();
        }
    }

    /**
     * The chunks of a device that hold data, found in order on a thread of its own while the caller
     * writes the ones before (qemu-img convert overlaps its reads and writes too), each with its
     * all-zero granules marked. Chunks of zeros are not handed on.
     *
     * <p>A chunk that is one run of plain data in a file of the chain (a raw file; a qcow2's
     * clusters, laid out in order) is that file's mapped bytes, scanned in place, and the writer
     * hands them to the kernel: they are copied once. Any other chunk is read into one of a few
     * buffers (copied twice). Mapped chunks need no buffer back, so the reader runs up to
     * {@link #MAPPED_AHEAD} chunks ahead, through a raw file's holes (which it must read: the file
     * API cannot ask for SEEK_DATA) while the writer copies data.
     */
    static final class ReadAhead implements AutoCloseable, Runnable {
        /** Granules [k] of the chunk at position, length bytes: data, a buffer's or a mapped run's. */
        record Chunk(long position, int length, ByteBuffer data, boolean[] zero, MappedWindows.Run run) {
        }

        private static final Chunk END = new Chunk(-1, 0, null, null, null);
        /** Enough for the reader's pace to vary (its thread shares the processors) without stalling the writer. */
        private static final int BUFFERS = 4;
        private static final int MAPPED_AHEAD = 256;
        /**
         * Zeros read before the source is asked to look its holes up (a raw file: lseek through FFM,
         * whose linking costs about what reading this much costs here, ~40 ms). Like renting until
         * the rent paid equals the price: never more than twice the cost of the better choice.
         */
        private static final long HOLE_LOOKUP_AFTER = 128L << 20;
        final BlockDevice in;
        private final int chunkSize;
        private final int granule;
        private final int granules;
        private final MappedWindows mapped;
        private final java.util.concurrent.BlockingQueue<Chunk> free;
        private final java.util.concurrent.BlockingQueue<Chunk> full;
        /** Chunks the reader may still queue: the end mark always fits, so it never waits to say so. */
        private final java.util.concurrent.Semaphore room;
        final Thread thread;
        private volatile IOException failure;
        private volatile boolean closed;
        /** Counted down by close: the writer has no more use for the chunks it was given. */
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        /** Made by the reader as it needs them (allocating zeroes memory), and the scan's zeros. */
        private int buffers;
        private ByteBuffer zeros;
        private long zerosRead;

        ReadAhead(BlockDevice in, int chunkSize, int granule) {
            this.in = in;
            this.chunkSize = chunkSize;
            this.granule = granule;
            this.granules = (chunkSize + granule - 1) / granule;
            this.mapped = new MappedWindows();
            this.free = new java.util.concurrent.ArrayBlockingQueue<>(BUFFERS + 1);
            this.full = new java.util.concurrent.ArrayBlockingQueue<>(MAPPED_AHEAD + 1);
            this.room = new java.util.concurrent.Semaphore(MAPPED_AHEAD);
            thread = new Thread(this, "vessel-disk-read-ahead");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            boolean completed = false;
            try {
                zeros = ByteBuffer.allocateDirect(granule);
                long size = in.size();
                for (long pos = 0; pos < size && !closed; pos += chunkSize) {
                    int len = (int) Math.min(chunkSize, size - pos);
                    if (!hasData(in, pos, len, true)) {
                        continue;
                    }
                    Chunk c = chunk(pos, len);
                    if (c == null) {
                        break;
                    }
                    boolean any = false;
                    for (int k = 0; k < (len + granule - 1) / granule && !any; k++) {
                        any = !c.zero()[k];
                    }
                    if (any) {
                        room.acquire();
                        if (closed) {
                            break;
                        }
                        full.put(c);
                    } else {
                        release(c);
                        readZeros(len);
                    }
                }
                completed = true;
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = new IOException(e.getMessage(), e);
            } catch (InternalError e) {
                // what the JVM throws when a mapped page is gone: the file was cut short
                failure = new DiskException(in.path() + " changed while being copied (a file of it was cut short)", e);
            } finally {
                if (!completed && failure == null && !closed) {
                    // an Error (a mapped file cut short faults), or an interrupt: never an end that
                    // looks like the last chunk
                    failure = new IOException("reading " + in.path() + " stopped before its end");
                }
                full.offer(END);
                unmapWhenClosed();
            }
        }

        /**
         * Unmaps the source once the writer is done with its bytes, here rather than on the writer's
         * thread: unmapping takes a while, and the writer is the one the copy waits for.
         */
        private void unmapWhenClosed() {
            boolean interrupted = false;
            for (;;) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            mapped.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Reads the chunk into a buffer and scans it; null when closed meanwhile. */
        private Chunk read(long pos, int len) throws IOException, InterruptedException {
            Chunk slot = free.poll();
            if (slot == null && buffers < BUFFERS) {
                buffers++;
                slot = new Chunk(0, 0, ByteBuffer.allocateDirect(chunkSize), null, null);
            } else if (slot == null) {
                slot = free.take();
            }
            if (closed) {
                return null;
            }
            ByteBuffer data = slot.data().clear().limit(len);
            in.read(pos, data);
            data.flip();
            boolean[] zero = new boolean[granules];
            scan(data, zero);
            return new Chunk(pos, len, data, zero, null);
        }

        /**
         * The chunk, scanned: its mapped bytes when it is one run of plain data in a file of the
         * chain (a raw file, a qcow2's clusters laid out in order), else read into a buffer.
         */
        private Chunk chunk(long pos, int len) throws IOException, InterruptedException {
            Extent e = in.statusNow(pos, len);
            if (e.length() == len && e.data() && e.hostOffset() >= 0) {
                BlockDevice layer = in;
                for (int d = 0; d < e.depth() && layer != null; d++) {
                    layer = layer.backing();
                }
                MappedWindows.Run run = layer == null ? null : mapped.hold(layer, e.hostOffset(), len);
                if (run != null) {
                    boolean[] zero = new boolean[granules];
                    scan(run.bytes(), zero);
                    return new Chunk(pos, len, run.bytes(), zero, run);
                }
            }
            return read(pos, len);
        }

        /** Marks zero[k] for each granule k of b. */
        private void scan(ByteBuffer b, boolean[] zero) {
            int len = b.limit();
            for (int at = 0, k = 0; at < len; k++, at += granule) {
                zero[k] = isZero(b, at, Math.min(len, at + granule), zeros);
            }
        }

        private void readZeros(long bytes) {
            zerosRead += bytes;
            if (zerosRead >= HOLE_LOOKUP_AFTER && zerosRead - bytes < HOLE_LOOKUP_AFTER) {
                in.prepareStatus();
            }
        }

        /** The next chunk with data, or null after the last. */
        Chunk next() throws IOException {
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading");
            }
            if (c == END) {
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
            room.release();
            return c;
        }

        /** Gives a chunk's buffer back for another read, or its mapped run (written, or all zeros). */
        void release(Chunk c) {
            if (c.run() != null) {
                mapped.release(c.run());
            } else if (c.data() != null) {
                free.offer(c);
            }
        }

        /**
         * Stops the reader (after the last chunk, or when the caller failed): not by interrupting
         * it, which would close the source's channel under a read, but by waking it if it waits.
         */
        @Override
        public void close() {
            closed = true;
            free.offer(END);
            room.release(MAPPED_AHEAD);
            done.countDown();
        }
    }

    /** Writes the non-zero granules of a chunk: runs of them at once, or each compressed. */
    private static void writeChunk(BlockDevice out, ReadAhead.Chunk c, int granule, byte[] cluster)
            throws IOException {
        long pos = c.position();
        int len = c.length();
        boolean[] zero = c.zero();
        ByteBuffer data = c.data();
        int granules = (len + granule - 1) / granule;
        for (int k = 0; k < granules; ) {
            if (zero[k]) {
                k++;
                continue;
            }
            int g = k * granule;
            if (cluster != null) {
                int gEnd = Math.min(len, g + granule);
                java.util.Arrays.fill(cluster, (byte) 0);
                data.get(g, cluster, 0, gEnd - g);
                ((Qcow2Image) out).writeCompressed((pos + g) / granule, cluster);
                k++;
                continue;
            }
            int j = k + 1;
            while (j < granules && !zero[j]) {
                j++;
            }
            int runEnd = Math.min(len, j * granule);
            out.write(pos + g, data.slice(g, runEnd - g));
            k = j;
        }
    }

    static void commit(BlockDevice top) throws IOException {
        BlockDevice base = top.backing();
        if (base == null) {
            throw new DiskException(top.path() + " has no backing file to commit into");
        }
        if (base.size() < top.size()) {
            if (base instanceof Qcow2Image q) {
                q.grow(top.size());
            } else if (base instanceof RawImage r) {
                r.resize(top.size());
            } else {
                throw new DiskException(base.path() + " is smaller than " + top.path() + " and cannot grow");
            }
        }
        // A qcow2 top's data extents are plain bytes of its file (other formats may mix in their
        // parent's sectors): those move file to file in the kernel, read from a channel of our own.
        Map<String, FileChannel> files = new HashMap<>();
        ByteBuffer buf = null;
        // Whatever the base holds unwritten must reach the disk before the top is emptied: start now.
        base.startFlush();
        try {
            long size = top.size();
            long off = 0;
            while (off < size) {
                // only the top's own ranges are copied: the chain below need not be exact
                Extent e = top.statusNow(off, size - off);
                if (e.length() == 0) {
                    break;
                }
                if (e.depth() == 0 && e.present()) {
                    if (e.data()) {
                        for (long p = e.offset(); p < e.end(); p += COMMIT_PIECE) {
                            long n = Math.min(COMMIT_PIECE, e.end() - p);
                            if (top instanceof Qcow2Image && e.hostOffset() >= 0 && e.file() != null) {
                                FileChannel src = files.get(e.file());
                                if (src == null) {
                                    src = FileChannel.open(Path.of(e.file()), StandardOpenOption.READ);
                                    files.put(e.file(), src);
                                }
                                base.writeFrom(src, e.hostOffset() + (p - e.offset()), p, n);
                            } else {
                                if (buf == null) {
                                    buf = ByteBuffer.allocateDirect(CHUNK);
                                }
                                for (long q = p; q < p + n; q += CHUNK) {
                                    int m = (int) Math.min(CHUNK, p + n - q);
                                    buf.clear().limit(m);
                                    top.read(q, buf);
                                    base.write(q, buf.flip());
                                }
                            }
                            // The disk starts on this piece while the next one is copied: the flush
                            // below, which must finish before the top is emptied, then waits less.
                            base.startFlush();
                        }
                    } else {
                        base.discard(e.offset(), e.length());
                    }
                }
                off = e.end();
            }
        } finally {
            for (FileChannel f : files.values()) {
                f.close();
            }
        }
        base.flush();
        if (top instanceof Qcow2Image q) {
            q.makeEmpty();
        }
        top.flush();
    }

    static void rebase(BlockDevice top, BlockDevice newBase) throws IOException {
        BlockDevice oldBase = top.backing();
        int unit = 64 << 10;
        ByteBuffer a = ByteBuffer.allocate(unit);
        ByteBuffer b = ByteBuffer.allocate(unit);
        long size = top.size();
        long off = 0;
        while (off < size) {
            // ranges below the top are compared by reading them: their status need not be exact
            Extent e = top.statusNow(off, size - off);
            if (e.length() == 0) {
                break;
            }
            if (e.depth() > 0 || !e.present()) {
                for (long p = e.offset(); p < e.end(); p += unit) {
                    int n = (int) Math.min(unit, e.end() - p);
                    readOrZero(oldBase, p, a, n);
                    readOrZero(newBase, p, b, n);
                    if (!a.equals(b)) {
                        top.write(p, a.duplicate());
                    }
                }
            }
            off = e.end();
        }
        top.flush();
    }

    private static void readOrZero(BlockDevice d, long p, ByteBuffer buf, int n) throws IOException {
        buf.clear().limit(n);
        if (d == null || p >= d.size()) {
            while (buf.hasRemaining()) {
                buf.put((byte) 0);
            }
        } else if (p + n > d.size()) {
            buf.limit((int) (d.size() - p));
            d.read(p, buf);
            buf.limit(n);
            while (buf.hasRemaining()) {
                buf.put((byte) 0);
            }
        } else {
            d.read(p, buf);
        }
        buf.flip();
    }

    static long compare(BlockDevice a, BlockDevice b) throws IOException {
        long common = Math.min(a.size(), b.size());
        ByteBuffer x = ByteBuffer.allocateDirect(CHUNK);
        ByteBuffer y = ByteBuffer.allocateDirect(CHUNK);
        for (long p = 0; p < common; p += CHUNK) {
            int n = (int) Math.min(CHUNK, common - p);
            if (!hasData(a, p, n) && !hasData(b, p, n)) {
                continue;
            }
            x.clear().limit(n);
            y.clear().limit(n);
            a.read(p, x);
            b.read(p, y);
            int m = x.flip().mismatch(y.flip());
            if (m >= 0) {
                return p + m;
            }
        }
        BlockDevice longer = a.size() > b.size() ? a : b;
        for (long p = common; p < longer.size(); p += CHUNK) {
            int n = (int) Math.min(CHUNK, longer.size() - p);
            if (!hasData(longer, p, n)) {
                continue;
            }
            x.clear().limit(n);
            longer.read(p, x);
            for (int i = 0; i < n; i++) {
                if (x.get(i) != 0) {
                    return p + i;
                }
            }
        }
        return -1;
    }

    static List<Extent> map(BlockDevice d) throws IOException {
        List<Extent> out = new ArrayList<>();
        long off = 0;
        long size = d.size();
        while (off < size) {
            Extent e = d.status(off, size - off);
            if (e.length() == 0) {
                break;
            }
            if (!out.isEmpty()) {
                Extent last = out.get(out.size() - 1);
                boolean same = last.present() == e.present() && last.data() == e.data() && last.zero() == e.zero()
                        && last.depth() == e.depth() && java.util.Objects.equals(last.file(), e.file())
                        && (last.hostOffset() < 0 ? e.hostOffset() < 0 : e.hostOffset() == last.hostOffset() + last.length());
                if (same) {
                    out.set(out.size() - 1, new Extent(last.offset(), last.length() + e.length(), last.present(),
                            last.data(), last.zero(), last.depth(), last.hostOffset(), last.file()));
                    off = e.end();
                    continue;
                }
            }
            out.add(e);
            off = e.end();
        }
        return out;
    }
}
