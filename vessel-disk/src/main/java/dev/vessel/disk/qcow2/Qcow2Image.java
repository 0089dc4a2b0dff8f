package dev.vessel.disk.qcow2;

import dev.vessel.disk.BackgroundFlush;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.DiskException;
import dev.vessel.disk.Extent;
import dev.vessel.disk.FileCopy;
import dev.vessel.disk.ImageFormat;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A qcow2 image (version 2 or 3) as a block device. Reads follow L1/L2 to data, zero, compressed or
 * backing clusters; writes allocate clusters in runs, copy on write where a cluster is shared with a
 * snapshot, and update metadata in crash-safe order: refcount, then data, then L2, then L1.
 */
public final class Qcow2Image implements BlockDevice {
    static final long OFFSET_MASK = 0x00fffffffffffe00L;
    static final long COPIED = 1L << 63;
    static final long COMPRESSED = 1L << 62;
    static final long ZERO = 1L;
    private static final int CACHED_L2 = 1024;
    private static final int MAX_RUN_BYTES = 4 << 20;

    private final Path path;
    private final FileChannel ch;
    private final FileChannel dataCh;
    private final boolean writable;
    final Qcow2Header h;
    final int cs;
    final int bits;
    final int l2Bits;
    final int l2Entries;
    long[] l1;
    private BlockDevice backing;
    Qcow2Refcounts rc;
    private final Map<Long, long[]> l2Cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            if (size() > CACHED_L2) {
                if (eldest.getKey() == lastL2Off) {
                    lastL2Off = -1;
                }
                return true;
            }
            return false;
        }
    };
    /** The table last looked up (the same array as in l2Cache): most lookups hit it without boxing a key. */
    private long lastL2Off = -1;
    private long[] lastL2;
    private final ByteBuffer clusterBuf;
    private ByteBuffer runBuf;
    private final Qcow2Compression compression;
    private long compressedCursor = -1;
    private boolean closed;
    private boolean syncOnClose = true;
    private final BackgroundFlush flusher;

    /** Close without fsync (as qemu-img convert's default "unsafe" cache mode); for new copies only. */
    public void skipSyncOnClose() {
        syncOnClose = false;
    }

    private Qcow2Image(Path path, FileChannel ch, Qcow2Header h, boolean writable, FileChannel dataCh)
            throws IOException {
        this.path = path;
        this.ch = ch;
        this.h = h;
        this.writable = writable;
        this.dataCh = dataCh == null ? ch : dataCh;
        this.flusher = new BackgroundFlush(ch, path);
        this.cs = h.clusterSize();
        this.bits = h.clusterBits;
        this.l2Entries = cs / (h.extendedL2() ? 16 : 8);
        this.l2Bits = Integer.numberOfTrailingZeros(l2Entries);
        this.clusterBuf = ByteBuffer.allocate(cs);
        this.compression = new Qcow2Compression(h.compressionType, cs);
        ByteBuffer b = ByteBuffer.allocate(h.l1Size * 8);
        Io.read(ch, h.l1Offset, b);
        l1 = Io.longs(b, h.l1Size);
        rc = new Qcow2Refcounts(this, ch, h, ch.size());
    }

    /** Opens a qcow2 file; the backing device is attached by the caller (see Disks). */
    public static Qcow2Image open(Path path, boolean writable) throws IOException {
        FileChannel ch = writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        FileChannel data = null;
        try {
            // The header cluster: 64 KiB is read first (the default size), the rest only if larger.
            long fileSize = ch.size();
            ByteBuffer first = ByteBuffer.allocate((int) Math.min(fileSize, 64 << 10));
            Io.read(ch, 0, first);
            first.flip();
            if (first.remaining() >= 24) {
                int cb = first.getInt(20);
                if (cb >= 9 && cb <= 21) {
                    int want = (int) Math.min(fileSize, 1 << cb);
                    if (want > first.remaining()) {
                        ByteBuffer whole = ByteBuffer.allocate(want);
                        Io.read(ch, 0, whole);
                        first = whole.flip();
                    }
                    first.limit(Math.min(first.limit(), 1 << cb));
                }
            }
            Qcow2Header h = Qcow2Header.parse(first, ch.size(), path.toString());
            if (h.dataFile != null) {
                if (writable) {
                    throw new DiskException(path + ": writing images with an external data file is not supported");
                }
                Path dp = path.toAbsolutePath().resolveSibling(h.dataFile);
                data = FileChannel.open(dp, StandardOpenOption.READ);
            }
            if (writable) {
                if ((h.incompat & Qcow2Header.INCOMPAT_CORRUPT) != 0) {
                    throw new DiskException(path + ": image is marked corrupt; run 'vessel disk check -r all' first");
                }
                if (h.extendedL2()) {
                    throw new DiskException(path + ": writing images with extended L2 entries is not supported");
                }
            }
            Qcow2Image img = new Qcow2Image(path, ch, h, writable, data);
            if (writable) {
                img.prepareForWriting();
            }
            return img;
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (data != null) {
                data.close();
            }
            throw e;
        }
    }

    private void prepareForWriting() throws IOException {
        if ((h.incompat & Qcow2Header.INCOMPAT_DIRTY) != 0) {
            // An unclean close with lazy refcounts: rebuild refcounts from the tables, then clear the bit.
            Qcow2Check.rebuildRefcounts(this);
            h.incompat &= ~Qcow2Header.INCOMPAT_DIRTY;
            writeHeaderField(72, h.incompat);
        }
        if (h.version == 3 && h.autoclear != 0) {
            // We do not keep bitmaps up to date: clearing the autoclear bits tells readers so.
            h.autoclear = 0;
            writeHeaderField(88, 0);
        }
    }

    void writeHeaderField(long pos, long value) throws IOException {
        Io.write(ch, pos, ByteBuffer.allocate(8).putLong(0, value));
    }

    Qcow2Header header() {
        return h;
    }

    public int version() {
        return h.version;
    }

    public boolean dirty() {
        return (h.incompat & Qcow2Header.INCOMPAT_DIRTY) != 0;
    }

    public boolean corrupt() {
        return (h.incompat & Qcow2Header.INCOMPAT_CORRUPT) != 0;
    }

    public boolean lazyRefcounts() {
        return (h.compat & Qcow2Header.COMPAT_LAZY_REFCOUNTS) != 0;
    }

    public int refcountBits() {
        return 1 << h.refcountOrder;
    }

    public String compressionName() {
        return h.compressionType == 1 ? "zstd" : "zlib";
    }

    public boolean extendedL2() {
        return h.extendedL2();
    }

    public String dataFile() {
        return h.dataFile;
    }

    String name() {
        return path.toString();
    }

    FileChannel channel() {
        return ch;
    }

    public void attachBacking(BlockDevice dev) {
        this.backing = dev;
    }

    public String backingFileName() {
        return h.backingFile;
    }

    public String backingFormatName() {
        return h.backingFormat;
    }

    public boolean hasExternalData() {
        return h.dataFile != null;
    }

    @Override
    public long size() {
        return h.size;
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.QCOW2;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public BlockDevice backing() {
        return backing;
    }

    public int clusterSize() {
        return cs;
    }

    void checkMetadataOffset(long off, String what) throws IOException {
        if (off <= 0 || (off & (cs - 1)) != 0 || off > ch.size() - cs) {
            if (off > 0 && (off & (cs - 1)) == 0 && off < ch.size()) {
                return; // a short last cluster reads as zero-padded
            }
            throw new DiskException(path + ": " + what + " at offset " + off
                    + " is outside the file or misaligned (image corrupt)");
        }
    }

    // ---- L2 tables ----

    long[] loadL2(long off) throws IOException {
        if (off == lastL2Off) {
            return lastL2;
        }
        long[] t = l2Cache.get(off);
        if (t == null) {
            checkMetadataOffset(off, "L2 table");
            ByteBuffer b = ByteBuffer.allocate(cs);
            Io.read(ch, off, b);
            t = Io.longs(b, cs / 8);
            l2Cache.put(off, t);
        }
        lastL2Off = off;
        lastL2 = t;
        return t;
    }

    void forgetL2(long off) {
        l2Cache.remove(off);
        if (off == lastL2Off) {
            lastL2Off = -1;
        }
    }

    void invalidateCaches() {
        l2Cache.clear();
        lastL2Off = -1;
        rc.invalidate();
    }

    /** The standard L2 entry of a guest cluster (0 when no L2 table). */
    private long entry(long vcl) throws IOException {
        int l1i = (int) (vcl >>> l2Bits);
        long l1e = l1[l1i] & OFFSET_MASK;
        if (l1e == 0) {
            return 0;
        }
        long[] t = loadL2(l1e);
        int i = (int) (vcl & (l2Entries - 1));
        return h.extendedL2() ? t[2 * i] : t[i];
    }

    private long bitmap(long vcl) throws IOException {
        long l1e = l1[(int) (vcl >>> l2Bits)] & OFFSET_MASK;
        if (l1e == 0) {
            return 0;
        }
        return loadL2(l1e)[2 * (int) (vcl & (l2Entries - 1)) + 1];
    }

    int compressedShift() {
        return 62 - (bits - 8);
    }

    long compressedOffset(long e) {
        return e & ((1L << compressedShift()) - 1);
    }

    long compressedBytes(long e) {
        long sectors = (e >>> compressedShift()) & ((1L << (bits - 8)) - 1);
        long off = compressedOffset(e);
        return (sectors + 1) * 512 - (off & 511);
    }

    private boolean zeroFlag(long e) {
        return h.version == 3 && (e & ZERO) != 0;
    }

    // ---- reads ----

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        checkOpen();
        checkRange(offset, dst.remaining());
        readInternal(offset, dst);
    }

    private void checkRange(long offset, long len) throws DiskException {
        if (offset < 0 || len < 0 || offset > h.size || len > h.size - offset) {
            throw new DiskException(path + ": access at " + offset + "+" + len + " is past the end of the disk ("
                    + h.size + " bytes)");
        }
    }

    private void checkOpen() throws DiskException {
        if (closed) {
            throw new DiskException(path + ": image is closed");
        }
    }

    void readInternal(long offset, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            long vcl = offset >>> bits;
            int in = (int) (offset & (cs - 1));
            int n = (int) Math.min(dst.remaining(), cs - in);
            long e = entry(vcl);
            int lim = dst.limit();
            if (h.extendedL2() && (e & COMPRESSED) == 0) {
                n = readExtended(vcl, e, offset, dst, n);
                offset += n;
                continue;
            }
            if ((e & COMPRESSED) != 0) {
                decompress(e);
                dst.limit(dst.position() + n);
                dst.put(clusterBuf.slice(in, n));
                dst.limit(lim);
            } else if (zeroFlag(e)) {
                dst.limit(dst.position() + n);
                Io.zero(dst);
                dst.limit(lim);
            } else {
                long host = e & OFFSET_MASK;
                // Extend over following clusters of the same kind (contiguous data or unallocated).
                long next = vcl + 1;
                long total = n;
                while (total < dst.remaining() && (next & (l2Entries - 1)) != 0) {
                    long ne = entry(next);
                    boolean same = host == 0 ? ne == 0 || (!zeroFlag(ne) && (ne & (COMPRESSED | OFFSET_MASK)) == 0)
                            : (ne & COMPRESSED) == 0 && !zeroFlag(ne)
                                    && (ne & OFFSET_MASK) == host + ((next - vcl) << bits);
                    if (!same) {
                        break;
                    }
                    total += Math.min(cs, dst.remaining() - total);
                    next++;
                }
                n = (int) total;
                dst.limit(dst.position() + n);
                if (host == 0) {
                    readBacking(offset, dst);
                } else {
                    Io.read(dataCh, host + in, dst);
                }
                dst.limit(lim);
            }
            offset += n;
        }
    }

    private int readExtended(long vcl, long e, long offset, ByteBuffer dst, int n) throws IOException {
        long bm = bitmap(vcl);
        int sub = cs / 32;
        int in = (int) (offset & (cs - 1));
        int si = in / sub;
        int len = Math.min(n, sub - (in % sub));
        long host = e & OFFSET_MASK;
        int lim = dst.limit();
        dst.limit(dst.position() + len);
        if ((bm & (1L << si)) != 0) {
            if (host == 0) {
                throw new DiskException(path + ": allocated subcluster without a host cluster (image corrupt)");
            }
            Io.read(dataCh, host + in, dst);
        } else if ((bm & (1L << (32 + si))) != 0) {
            Io.zero(dst);
        } else {
            readBacking(offset, dst);
        }
        dst.limit(lim);
        return len;
    }

    private void readBacking(long offset, ByteBuffer dst) throws IOException {
        if (backing == null || offset >= backing.size()) {
            Io.zero(dst);
            return;
        }
        long avail = backing.size() - offset;
        if (avail >= dst.remaining()) {
            backing.read(offset, dst);
        } else {
            int lim = dst.limit();
            dst.limit(dst.position() + (int) avail);
            backing.read(offset, dst);
            dst.limit(lim);
            Io.zero(dst);
        }
    }

    private long decompressedEntry = -1;

    private void decompress(long e) throws IOException {
        if (e == decompressedEntry) {
            return;
        }
        long off = compressedOffset(e);
        long len = compressedBytes(e);
        if (len > 2L * cs + 512 || off <= 0) {
            throw new DiskException(path + ": bad compressed cluster entry (image corrupt)");
        }
        if (off >= dataCh.size()) {
            throw new DiskException(path + ": compressed cluster at offset " + off + " is past the end of the file");
        }
        ByteBuffer in = ByteBuffer.allocate((int) len);
        Io.read(dataCh, off, in);
        decompressedEntry = -1;
        compression.decompress(in.array(), (int) len, clusterBuf.array(), path);
        decompressedEntry = e;
    }

    // ---- writes ----

    @Override
    public synchronized void write(long offset, ByteBuffer src) throws IOException {
        checkOpen();
        requireWritable();
        checkRange(offset, src.remaining());
        int len = src.remaining();
        writeInternal(offset, len, new BufferSource(src));
        src.position(src.position() + len);
    }

    /** Copies the bytes from src into the image file in the kernel wherever whole clusters are written. */
    @Override
    public synchronized void writeFrom(FileChannel src, long srcPos, long offset, long length) throws IOException {
        checkOpen();
        requireWritable();
        checkRange(offset, length);
        ChannelSource s = new ChannelSource(src, srcPos);
        for (long done = 0; done < length; ) {
            long n = Math.min(length - done, 1L << 30);
            s.srcPos = srcPos + done;
            writeInternal(offset + done, n, s);
            done += n;
        }
    }

    @Override
    public synchronized void startFlush() throws IOException {
        checkOpen();
        if (writable) {
            flusher.start();
        }
    }

    /** Where the bytes of a write come from; offsets are relative to the start of the write. */
    private interface Source {
        /** Writes source bytes [from, from+len) to the image file at pos. */
        void writeTo(FileChannel ch, long pos, long from, long len) throws IOException;

        /** Puts source bytes [from, from+len) into dst at index at. */
        void copyTo(ByteBuffer dst, int at, long from, int len) throws IOException;
    }

    private record BufferSource(ByteBuffer src) implements Source {
        @Override
        public void writeTo(FileChannel ch, long pos, long from, long len) throws IOException {
            Io.write(ch, pos, src.slice(src.position() + (int) from, (int) len));
        }

        @Override
        public void copyTo(ByteBuffer dst, int at, long from, int len) {
            dst.put(at, src, src.position() + (int) from, len);
        }
    }

    private static final class ChannelSource implements Source {
        private final FileChannel src;
        long srcPos;

        ChannelSource(FileChannel src, long srcPos) {
            this.src = src;
            this.srcPos = srcPos;
        }

        @Override
        public void writeTo(FileChannel ch, long pos, long from, long len) throws IOException {
            FileCopy.copy(src, srcPos + from, ch, pos, len);
        }

        @Override
        public void copyTo(ByteBuffer dst, int at, long from, int len) throws IOException {
            Io.read(src, srcPos + from, dst.slice(at, len));
        }
    }

    /** Writes source bytes [0, length) at guest offset (checked by the caller). */
    private void writeInternal(long offset, long length, Source src) throws IOException {
        long start = offset;
        long end = offset + length;
        while (offset < end) {
            long vcl = offset >>> bits;
            int l1i = (int) (vcl >>> l2Bits);
            long firstInTable = (long) l1i << l2Bits;
            int i = (int) (vcl - firstInTable);
            int last = (int) Math.min(l2Entries - 1, ((end - 1) >>> bits) - firstInTable);
            long[] t = writableL2(l1i);
            long l2Off = l1[l1i] & OFFSET_MASK;
            while (i <= last) {
                long e = t[i];
                long guest = (firstInTable + i) << bits;
                if (inPlace(e)) {
                    int j = i + 1;
                    while (j <= last && inPlace(t[j]) && (t[j] & OFFSET_MASK) == (e & OFFSET_MASK) + ((long) (j - i) << bits)) {
                        j++;
                    }
                    long runEnd = Math.min(end, (firstInTable + j) << bits);
                    guardDataWrite(e & OFFSET_MASK, (long) (j - i) << bits);
                    src.writeTo(ch, (e & OFFSET_MASK) + (offset - guest), offset - start, runEnd - offset);
                    offset = runEnd;
                    i = j;
                } else {
                    // Runs stay within half a refcount block's range, so a new block placed at the
                    // start of its range never splits the only place a run could fit.
                    int maxRun = (int) Math.max(1, Math.min(MAX_RUN_BYTES >>> bits, rc.perBlock / 2));
                    int j = i + 1;
                    while (j <= last && j - i < maxRun && !inPlace(t[j])) {
                        j++;
                    }
                    offset = allocateAndWrite(t, l2Off, firstInTable, i, j, offset, end, src, start);
                    i = j;
                }
            }
        }
    }

    /** Refuses to write guest data over metadata or far past the file (a corrupt L2 entry). */
    private void guardDataWrite(long host, long bytes) throws IOException {
        long end = host + bytes;
        long l1End = h.l1Offset + (long) h.l1Size * 8;
        long rtEnd = h.refcountTableOffset + ((long) h.refcountTableClusters << bits);
        if (host < cs || end > ((ch.size() + cs - 1) & ~((long) cs - 1)) + cs
                || (host < l1End && end > h.l1Offset) || (host < rtEnd && end > h.refcountTableOffset)) {
            throw new DiskException(path + ": L2 entry points data at offset " + host
                    + ", over metadata or past the end of the file (image corrupt; run check)");
        }
    }

    private boolean inPlace(long e) {
        return (e & COPIED) != 0 && (e & COMPRESSED) == 0 && (e & OFFSET_MASK) != 0 && !zeroFlag(e);
    }

    private void requireWritable() throws DiskException {
        if (!writable) {
            throw new DiskException(path + ": image is open read-only");
        }
    }

    /** Writes guest clusters [i, j) of one L2 table into freshly allocated clusters. */
    private long allocateAndWrite(long[] t, long l2Off, long firstInTable, int i, int j, long offset, long end,
            Source src, long start) throws IOException {
        int n = j - i;
        long first = rc.allocate(n);
        long runGuest = (firstInTable + i) << bits;
        long runGuestEnd = (firstInTable + j) << bits;
        long writeEnd = Math.min(end, runGuestEnd);
        int len = (int) (writeEnd - offset);
        boolean headPartial = offset > runGuest;
        boolean tailPartial = writeEnd < runGuestEnd;
        if (!headPartial && !tailPartial) {
            src.writeTo(ch, first << bits, offset - start, len);
        } else {
            ByteBuffer buf = runBuffer((long) n << bits);
            if (headPartial) {
                fillOld(runGuest, buf.slice(0, cs));
            }
            if (tailPartial && (n > 1 || !headPartial)) {
                fillOld(runGuestEnd - cs, buf.slice((n - 1) << bits, cs));
            }
            src.copyTo(buf, (int) (offset - runGuest), offset - start, len);
            Io.write(ch, first << bits, buf.slice(0, n << bits));
        }
        long[] old = new long[n];
        for (int k = 0; k < n; k++) {
            old[k] = t[i + k];
            t[i + k] = ((first + k) << bits) | COPIED;
        }
        writeL2Entries(l2Off, t, i, j);
        for (long e : old) {
            releaseEntry(e);
        }
        return writeEnd;
    }

    private ByteBuffer runBuffer(long bytes) {
        if (runBuf == null || runBuf.capacity() < bytes) {
            runBuf = ByteBuffer.allocate((int) Math.max(bytes, Math.min(MAX_RUN_BYTES, 1L << 22)));
        }
        runBuf.clear();
        return runBuf;
    }

    /** Current contents of one guest cluster (zero-padded past the disk's end) into dst. */
    private void fillOld(long guest, ByteBuffer dst) throws IOException {
        long avail = h.size - guest;
        if (avail < dst.remaining()) {
            ByteBuffer head = dst.slice(0, (int) Math.max(0, avail));
            readInternal(guest, head);
            Io.zero(dst.slice((int) Math.max(0, avail), dst.remaining() - (int) Math.max(0, avail)));
        } else {
            readInternal(guest, dst.duplicate());
        }
    }

    /** Drops one reference held by an L2 entry (data or compressed clusters). */
    void releaseEntry(long e) throws IOException {
        if ((e & COMPRESSED) != 0) {
            rc.free(compressedOffset(e) & ~511L, compressedBytes(e) + (compressedOffset(e) & 511));
        } else if ((e & OFFSET_MASK) != 0) {
            if (h.dataFile == null) {
                rc.add((e & OFFSET_MASK) >>> bits, 1, -1);
            }
        }
    }

    void writeL2Entries(long l2Off, long[] t, int from, int to) throws IOException {
        Io.write(ch, l2Off + (long) from * 8, Io.bytes(t, from, to));
    }

    void writeL1Entry(int i) throws IOException {
        Io.write(ch, h.l1Offset + (long) i * 8, ByteBuffer.allocate(8).putLong(0, l1[i]));
    }

    /** The L2 table for l1 index i, allocated or copied (if shared) so it can be changed in place. */
    private long[] writableL2(int l1i) throws IOException {
        long e = l1[l1i];
        long off = e & OFFSET_MASK;
        if (off != 0 && (e & COPIED) != 0) {
            return loadL2(off);
        }
        long[] t;
        if (off == 0) {
            t = new long[cs / 8];
        } else {
            t = loadL2(off).clone();
            for (int k = 0; k < t.length; k++) {
                long d = t[k];
                if ((d & COMPRESSED) == 0 && (d & OFFSET_MASK) != 0) {
                    long r = rc.get((d & OFFSET_MASK) >>> bits);
                    t[k] = r == 1 ? d | COPIED : d & ~COPIED;
                }
            }
        }
        long nl = rc.allocate(1) << bits;
        writeL2Entries(nl, t, 0, t.length);
        l2Cache.put(nl, t);
        lastL2Off = nl;
        lastL2 = t;
        l1[l1i] = nl | COPIED;
        writeL1Entry(l1i);
        if (off != 0) {
            rc.add(off >>> bits, 1, -1);
            if (rc.get(off >>> bits) == 0) {
                forgetL2(off);
            }
        }
        return t;
    }

    // ---- compressed writes (convert -c) ----

    /** Stores one whole guest cluster compressed; the cluster must be unallocated. */
    public synchronized void writeCompressed(long vcl, byte[] data) throws IOException {
        requireWritable();
        byte[] packed = compression.compress(data, cs);
        if (packed == null) {
            write(vcl << bits, ByteBuffer.wrap(data, 0, (int) Math.min(cs, h.size - (vcl << bits))));
            return;
        }
        int l1i = (int) (vcl >>> l2Bits);
        long[] t = writableL2(l1i);
        int i = (int) (vcl & (l2Entries - 1));
        long pos;
        if (compressedCursor > 0 && (compressedCursor & (cs - 1)) != 0
                && cs - (compressedCursor & (cs - 1)) >= packed.length) {
            pos = compressedCursor;
            rc.add(pos >>> bits, 1, 1);
        } else {
            pos = rc.allocate(1) << bits;
        }
        Io.write(ch, pos, packed, 0, packed.length);
        compressedCursor = pos + packed.length;
        long sectors = ((pos + packed.length - 1) >>> 9) - (pos >>> 9);
        long old = t[i];
        t[i] = COMPRESSED | (sectors << compressedShift()) | pos;
        writeL2Entries(l1[l1i] & OFFSET_MASK, t, i, i + 1);
        releaseEntry(old);
    }

    // ---- discard ----

    @Override
    public synchronized void discard(long offset, long length) throws IOException {
        checkOpen();
        requireWritable();
        checkRange(offset, length);
        long end = offset + length;
        while (offset < end) {
            long vcl = offset >>> bits;
            long cstart = vcl << bits;
            long cend = Math.min(cstart + cs, h.size);
            long stop = Math.min(end, cend);
            if (offset > cstart || stop < cend) {
                writeZeros(offset, stop - offset);
            } else {
                int l1i = (int) (vcl >>> l2Bits);
                long e = entry(vcl);
                boolean needZeroFlag = backing != null;
                if (e == 0 && !needZeroFlag) {
                    offset = stop;
                    continue;
                }
                if (needZeroFlag && h.version == 2) {
                    writeZeros(offset, stop - offset);
                } else if (!(needZeroFlag && zeroFlag(e) && (e & OFFSET_MASK) == 0)) {
                    long[] t = writableL2(l1i);
                    int i = (int) (vcl & (l2Entries - 1));
                    long old = t[i];
                    t[i] = needZeroFlag ? ZERO : 0;
                    writeL2Entries(l1[l1i] & OFFSET_MASK, t, i, i + 1);
                    releaseEntry(old);
                }
            }
            offset = stop;
        }
    }

    private void writeZeros(long offset, long len) throws IOException {
        ByteBuffer z = ByteBuffer.allocate((int) len);
        write(offset, z);
    }

    /**
     * Frees every cluster of the active layer, so the image reads as its backing again. Per table:
     * the L1 entry goes first, then the refcounts (one write per run of clusters); at the end the
     * file loses its free tail, as QEMU's make_empty truncates it (so nothing freed is ever flushed).
     */
    public synchronized void makeEmpty() throws IOException {
        requireWritable();
        for (int l1i = 0; l1i < l1.length; l1i++) {
            long off = l1[l1i] & OFFSET_MASK;
            if (off == 0) {
                continue;
            }
            long[] t = loadL2(off);
            l1[l1i] = 0;
            writeL1Entry(l1i);
            long[] clusters = new long[t.length];
            int n = 0;
            for (long e : t) {
                if ((e & COMPRESSED) == 0 && (e & OFFSET_MASK) != 0 && h.dataFile == null) {
                    clusters[n++] = (e & OFFSET_MASK) >>> bits;
                } else {
                    releaseEntry(e);
                }
            }
            java.util.Arrays.sort(clusters, 0, n);
            for (int i = 0; i < n; ) {
                int j = i + 1;
                while (j < n && clusters[j] == clusters[j - 1] + 1) {
                    j++;
                }
                rc.add(clusters[i], j - i, -1);
                i = j;
            }
            rc.add(off >>> bits, 1, -1);
            if (rc.get(off >>> bits) == 0) {
                forgetL2(off);
            }
        }
        rc.truncateFreeTail();
    }

    // ---- status ----

    @Override
    public synchronized Extent status(long offset, long maxLength) throws IOException {
        return status(offset, maxLength, false);
    }

    /** As {@link #status}, but the chain below answers as {@link BlockDevice#statusNow} does. */
    @Override
    public synchronized Extent statusNow(long offset, long maxLength) throws IOException {
        return status(offset, maxLength, true);
    }

    private Extent status(long offset, long maxLength, boolean now) throws IOException {
        checkOpen();
        long max = Math.min(maxLength, h.size - offset);
        if (max <= 0) {
            return new Extent(offset, 0, false, false, true, 0, -1, null);
        }
        long vcl = offset >>> bits;
        long e = entry(vcl);
        Kind k = kind(vcl, e, offset);
        long len = Math.min(max, subUnit() - (offset & (subUnit() - 1)));
        long host = k == Kind.DATA ? hostOf(vcl, e, offset) : -1;
        while (len < max) {
            long o = offset + len;
            long nv = o >>> bits;
            long ne = entry(nv);
            Kind nk = kind(nv, ne, o);
            if (nk != k) {
                break;
            }
            if (k == Kind.DATA && hostOf(nv, ne, o) != host + len) {
                break;
            }
            len += Math.min(max - len, subUnit());
        }
        return switch (k) {
            case DATA -> new Extent(offset, len, true, true, false, 0, host, dataFileName());
            case ZERO -> new Extent(offset, len, true, false, true, 0, -1, null);
            case COMPRESSED -> new Extent(offset, len, true, true, false, 0, -1, null);
            case ABSENT -> absent(offset, len, now);
        };
    }

    /** Maps the file data clusters live in (an external data file, or this one). */
    @Override
    public MemorySegment mapHost(long start, long maxLength, Arena arena) throws IOException {
        checkOpen();
        return FileCopy.map(dataCh, start, maxLength, arena);
    }

    private String dataFileName() {
        return h.dataFile == null ? path.toString() : path.toAbsolutePath().resolveSibling(h.dataFile).toString();
    }

    private Extent absent(long offset, long len, boolean now) throws IOException {
        if (backing == null) {
            return new Extent(offset, len, false, false, true, 0, -1, null);
        }
        if (offset >= backing.size()) {
            return new Extent(offset, len, false, false, true, depthBelow() - 1, -1, null);
        }
        long n = Math.min(len, backing.size() - offset);
        return (now ? backing.statusNow(offset, n) : backing.status(offset, n)).deeper();
    }

    private int depthBelow() {
        int d = 1;
        for (BlockDevice b = backing; b != null; b = b.backing()) {
            d++;
        }
        return d;
    }

    private enum Kind { DATA, ZERO, COMPRESSED, ABSENT }

    private int subUnit() {
        return h.extendedL2() ? cs / 32 : cs;
    }

    private Kind kind(long vcl, long e, long offset) throws IOException {
        if ((e & COMPRESSED) != 0) {
            return Kind.COMPRESSED;
        }
        if (h.extendedL2()) {
            long bm = bitmap(vcl);
            int si = (int) ((offset & (cs - 1)) / (cs / 32));
            if ((bm & (1L << si)) != 0) {
                return Kind.DATA;
            }
            return (bm & (1L << (32 + si))) != 0 ? Kind.ZERO : Kind.ABSENT;
        }
        if (zeroFlag(e)) {
            return Kind.ZERO;
        }
        return (e & OFFSET_MASK) != 0 ? Kind.DATA : Kind.ABSENT;
    }

    private long hostOf(long vcl, long e, long offset) {
        return (e & OFFSET_MASK) + (offset & (cs - 1));
    }

    // ---- lifecycle ----

    @Override
    public synchronized void flush() throws IOException {
        checkOpen();
        if (writable) {
            ch.force(true);
            flusher.finish();
        }
        if (backing != null && backing.writable()) {
            backing.flush();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flusher.finish();
            if (writable && syncOnClose) {
                ch.force(true);
            }
        } finally {
            ch.close();
            if (dataCh != ch) {
                dataCh.close();
            }
            if (backing != null) {
                backing.close();
            }
        }
    }

    /** Re-reads the L1 table after snapshot operations replaced it. */
    void reloadL1() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(h.l1Size * 8);
        Io.read(ch, h.l1Offset, b);
        l1 = Io.longs(b, h.l1Size);
    }

    /** Grows the virtual size (the L1 table moves if it must grow). */
    public synchronized void grow(long newSize) throws IOException {
        requireWritable();
        if (newSize < h.size) {
            throw new DiskException(path + ": shrinking a qcow2 image is not supported");
        }
        long perL1 = (long) l2Entries * cs;
        long need = (newSize + perL1 - 1) / perL1;
        if (need * 8 > Qcow2Header.MAX_L1_BYTES) {
            throw new DiskException(path + ": size " + newSize + " is too large for cluster size " + cs);
        }
        if (need > l1.length) {
            long[] nl = java.util.Arrays.copyOf(l1, (int) need);
            long bytes = need * 8;
            long clusters = (bytes + cs - 1) >>> bits;
            long off = rc.allocate(clusters) << bits;
            ByteBuffer b = ByteBuffer.allocate((int) (clusters << bits));
            for (int i = 0; i < nl.length; i++) {
                b.putLong(i * 8, nl[i]);
            }
            Io.write(ch, off, b);
            ch.force(false);
            long oldOff = h.l1Offset;
            long oldClusters = ((long) h.l1Size * 8 + cs - 1) >>> bits;
            h.l1Size = (int) need;
            h.l1Offset = off;
            Io.write(ch, 36, ByteBuffer.allocate(12).putInt(0, h.l1Size).putLong(4, h.l1Offset));
            l1 = nl;
            if (oldClusters > 0 && oldOff != 0) {
                rc.add(oldOff >>> bits, oldClusters, -1);
            }
        }
        h.size = newSize;
        writeHeaderField(24, newSize);
    }

    Qcow2Compression compression() {
        return compression;
    }

    /** Rewrites cluster 0 (header, extensions, backing name) from the in-memory header. */
    void rewriteHeader() throws IOException {
        byte[] b = h.serialize();
        Io.write(ch, 0, b, 0, b.length);
    }

    /** Changes the backing file name and format recorded in the header (no data is touched). */
    public synchronized void setBacking(String file, String format) throws IOException {
        requireWritable();
        h.backingFile = file;
        h.backingFormat = file == null ? null : format;
        if (file == null) {
            h.backingOffset = 0;
            h.backingSize = 0;
        }
        rewriteHeader();
    }
}
