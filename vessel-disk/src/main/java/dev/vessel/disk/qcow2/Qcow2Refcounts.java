package dev.vessel.disk.qcow2;

import dev.vessel.disk.DiskException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refcount table and its blocks, of any refcount width, with a cache of blocks. Every change is
 * written through at once, so the order of calls is the order of writes on disk (what crash safety
 * relies on: refcounts go up before anything points at a cluster, and down after nothing does).
 */
final class Qcow2Refcounts {
    private static final int CACHED_BLOCKS = 512;

    private final Qcow2Image img;
    private final FileChannel ch;
    private final int cs;
    private final int clusterBits;
    final int order;
    final long maxValue;
    final long perBlock;
    long[] table;
    private long freeHint = 1;
    /** The highest cluster index allocated in this session (so growth never lands on it). */
    private long highestAllocated;
    private final Map<Long, byte[]> blocks = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };

    Qcow2Refcounts(Qcow2Image img, FileChannel ch, Qcow2Header h, long fileSize) throws IOException {
        this.img = img;
        this.ch = ch;
        this.cs = h.clusterSize();
        this.clusterBits = h.clusterBits;
        this.order = h.refcountOrder;
        this.maxValue = order == 6 ? Long.MAX_VALUE : (1L << (1 << order)) - 1;
        this.perBlock = ((long) cs * 8) >>> order;
        int entries = (int) ((long) h.refcountTableClusters * cs / 8);
        ByteBuffer b = ByteBuffer.allocate(entries * 8);
        Io.read(ch, h.refcountTableOffset, b);
        table = Io.longs(b, entries);
        for (int i = 0; i < entries; i++) {
            table[i] &= Qcow2Image.OFFSET_MASK;
        }
        highestAllocated = (fileSize + cs - 1) >>> clusterBits;
    }

    long get(long cluster) throws IOException {
        long bi = cluster / perBlock;
        if (bi >= table.length || table[(int) bi] == 0) {
            return 0;
        }
        return getEntry(block((int) bi), (int) (cluster % perBlock));
    }

    private byte[] block(int bi) throws IOException {
        long off = table[bi];
        byte[] b = blocks.get(off);
        if (b == null) {
            img.checkMetadataOffset(off, "refcount block");
            b = new byte[cs];
            Io.read(ch, off, ByteBuffer.wrap(b));
            blocks.put(off, b);
        }
        return b;
    }

    long getEntry(byte[] b, int i) {
        switch (order) {
            case 0: return (b[i >>> 3] >>> (i & 7)) & 1;
            case 1: return (b[i >>> 2] >>> (2 * (i & 3))) & 3;
            case 2: return (b[i >>> 1] >>> (4 * (i & 1))) & 15;
            case 3: return b[i] & 0xff;
            case 4: return ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
            case 5: return ByteBuffer.wrap(b).getInt(4 * i) & 0xffffffffL;
            default: return ByteBuffer.wrap(b).getLong(8 * i);
        }
    }

    void setEntry(byte[] b, int i, long v) {
        switch (order) {
            case 0 -> b[i >>> 3] = (byte) ((b[i >>> 3] & ~(1 << (i & 7))) | ((v & 1) << (i & 7)));
            case 1 -> b[i >>> 2] = (byte) ((b[i >>> 2] & ~(3 << (2 * (i & 3)))) | ((v & 3) << (2 * (i & 3))));
            case 2 -> b[i >>> 1] = (byte) ((b[i >>> 1] & ~(15 << (4 * (i & 1)))) | ((v & 15) << (4 * (i & 1))));
            case 3 -> b[i] = (byte) v;
            case 4 -> {
                b[2 * i] = (byte) (v >>> 8);
                b[2 * i + 1] = (byte) v;
            }
            case 5 -> ByteBuffer.wrap(b).putInt(4 * i, (int) v);
            default -> ByteBuffer.wrap(b).putLong(8 * i, v);
        }
    }

    /** Adds {@code delta} to the refcounts of clusters [first, first+n); the blocks must exist. */
    void add(long first, long n, long delta) throws IOException {
        long c = first;
        long end = first + n;
        while (c < end) {
            long bi = c / perBlock;
            if (bi >= table.length || table[(int) bi] == 0) {
                throw new DiskException(img.name() + ": refcount block missing for cluster " + c
                        + " (image corrupt; run check -r all)");
            }
            byte[] b = block((int) bi);
            int i0 = (int) (c % perBlock);
            int i1 = (int) Math.min(perBlock, i0 + (end - c));
            for (int i = i0; i < i1; i++) {
                long v = getEntry(b, i) + delta;
                if (v < 0 || v > maxValue) {
                    throw new DiskException(img.name() + ": refcount " + (v < 0 ? "underflow" : "overflow")
                            + " at cluster " + (c + i - i0) + (v < 0 ? " (image corrupt; run check -r all)"
                                    : " (refcount width " + (1 << order) + " bits too small)"));
                }
                setEntry(b, i, v);
                if (v == 0 && c + i - i0 < freeHint) {
                    freeHint = Math.max(1, c + i - i0);
                }
            }
            int byteFrom = (i0 << order) >>> 3;
            int byteTo = (((i1 << order) + 7) >>> 3);
            Io.write(ch, table[(int) bi] + byteFrom, b, byteFrom, byteTo - byteFrom);
            c += i1 - i0;
        }
    }

    /**
     * Shortens the file to its last cluster in use (refcount above zero). Only clusters nothing
     * refers to are cut, so a crash before or after leaves a consistent image.
     */
    void truncateFreeTail() throws IOException {
        long clusters = (ch.size() + cs - 1) >>> clusterBits;
        long last = clusters - 1;
        while (last > 0 && get(last) == 0) {
            last--;
        }
        if (last + 1 < clusters) {
            ch.truncate((last + 1) << clusterBits);
            freeHint = Math.min(freeHint, last + 1);
        }
    }

    /** Allocates n contiguous free clusters, sets their refcounts to 1, returns the first index. */
    long allocate(long n) throws IOException {
        for (;;) {
            long start = findFree(n);
            boolean created = false;
            for (long bi = start / perBlock; bi <= (start + n - 1) / perBlock; bi++) {
                if (bi >= table.length || table[(int) bi] == 0) {
                    createBlock(bi);
                    created = true;
                    break;
                }
            }
            if (created) {
                continue;
            }
            add(start, n, 1);
            if (start == freeHint) {
                freeHint = start + n;
            }
            highestAllocated = Math.max(highestAllocated, start + n);
            return start;
        }
    }

    private long findFree(long n) throws IOException {
        long c = Math.max(1, freeHint);
        long runStart = c;
        for (;;) {
            long bi = c / perBlock;
            if (bi >= table.length || table[(int) bi] == 0) {
                // A whole range without a block is free.
                if (c - runStart + perBlock - (c % perBlock) >= n || bi >= table.length) {
                    return runStart;
                }
                c += perBlock - (c % perBlock);
                continue;
            }
            if (get(c) == 0) {
                if (c + 1 - runStart >= n) {
                    return runStart;
                }
            } else {
                runStart = c + 1;
                if (runStart - 1 == freeHint) {
                    freeHint = runStart;
                }
            }
            c++;
        }
    }

    /** Creates the refcount block for range bi at that range's first cluster, counting itself. */
    private void createBlock(long bi) throws IOException {
        if (bi >= table.length) {
            growTable(bi + 1);
            if (table[(int) bi] != 0) {
                return;
            }
        }
        long idx = bi * perBlock;
        if (idx == 0) {
            throw new DiskException(img.name() + ": refcount block 0 missing (image corrupt)");
        }
        byte[] b = new byte[cs];
        setEntry(b, 0, 1);
        long off = idx << clusterBits;
        Io.write(ch, off, b, 0, cs);
        blocks.put(off, b);
        table[(int) bi] = off;
        ByteBuffer e = ByteBuffer.allocate(8).putLong(0, off);
        Io.write(ch, img.header().refcountTableOffset + bi * 8, e);
        highestAllocated = Math.max(highestAllocated, idx + 1);
    }

    /** Moves the refcount table to the end of the image with room for at least minEntries. */
    private void growTable(long minEntries) throws IOException {
        long perCluster = cs / 8;
        long entries = Math.max(minEntries, (long) table.length * 2);
        entries = (entries + perCluster - 1) / perCluster * perCluster;
        long start = Math.max(highestAllocated, (ch.size() + cs - 1) >>> clusterBits);
        long tableClusters = entries / perCluster;
        long nBlocks = 0;
        for (;;) {
            long end = start + tableClusters + nBlocks;
            long need = 0;
            for (long bi = start / perBlock; bi <= (end - 1) / perBlock; bi++) {
                if (bi >= table.length || table[(int) bi] == 0) {
                    need++;
                }
            }
            long maxBi = (end - 1) / perBlock;
            if (maxBi >= entries) {
                entries = (maxBi + 1 + perCluster - 1) / perCluster * perCluster;
                tableClusters = entries / perCluster;
                continue;
            }
            if (need == nBlocks) {
                break;
            }
            nBlocks = need;
        }
        if (entries * 8 > Qcow2Header.MAX_REFTABLE_BYTES) {
            throw new DiskException(img.name() + ": image too large for its refcount table");
        }
        long end = start + tableClusters + nBlocks;
        long[] newTable = java.util.Arrays.copyOf(table, (int) entries);
        // New blocks go right after the table; existing blocks covering the new clusters are bumped.
        long nextBlock = start + tableClusters;
        java.util.Map<Long, byte[]> fresh = new java.util.TreeMap<>();
        for (long bi = start / perBlock; bi <= (end - 1) / perBlock; bi++) {
            if (bi >= table.length || table[(int) bi] == 0) {
                newTable[(int) bi] = nextBlock << clusterBits;
                fresh.put(bi, new byte[cs]);
                nextBlock++;
            }
        }
        for (long c = start; c < end; c++) {
            long bi = c / perBlock;
            byte[] fb = fresh.get(bi);
            if (fb != null) {
                setEntry(fb, (int) (c % perBlock), 1);
            } else {
                add(c, 1, 1);
            }
        }
        for (Map.Entry<Long, byte[]> f : fresh.entrySet()) {
            long off = newTable[(int) (long) f.getKey()];
            Io.write(ch, off, f.getValue(), 0, cs);
            blocks.put(off, f.getValue());
        }
        ByteBuffer tb = ByteBuffer.allocate((int) entries * 8);
        for (int i = 0; i < entries; i++) {
            tb.putLong(i * 8, newTable[i]);
        }
        Io.write(ch, start << clusterBits, tb);
        Qcow2Header h = img.header();
        long oldOffset = h.refcountTableOffset;
        long oldClusters = h.refcountTableClusters;
        h.refcountTableOffset = start << clusterBits;
        h.refcountTableClusters = (int) tableClusters;
        ByteBuffer hb = ByteBuffer.allocate(12).putLong(0, h.refcountTableOffset).putInt(8, h.refcountTableClusters);
        Io.write(ch, 48, hb);
        table = newTable;
        highestAllocated = Math.max(highestAllocated, end);
        add(oldOffset >>> clusterBits, oldClusters, -1);
    }

    void free(long hostOffset, long bytes) throws IOException {
        long first = hostOffset >>> clusterBits;
        long last = (hostOffset + bytes - 1) >>> clusterBits;
        add(first, last - first + 1, -1);
    }

    void invalidate() {
        blocks.clear();
    }

    long highestAllocated() {
        return highestAllocated;
    }

    /** Sets entries in a refcount block buffer of any width (used when building new blocks). */
    static final class Writer {
        private final Qcow2Refcounts helper;

        Writer(int order, int cs) {
            this.helper = new Qcow2Refcounts(order, cs);
        }

        void set(byte[] b, int i, long v) {
            helper.setEntry(b, i, v);
        }

        long get(byte[] b, int i) {
            return helper.getEntry(b, i);
        }

        long maxValue() {
            return helper.maxValue;
        }
    }

    /** A detached helper that only encodes entries. */
    private Qcow2Refcounts(int order, int cs) {
        this.img = null;
        this.ch = null;
        this.cs = cs;
        this.clusterBits = Integer.numberOfTrailingZeros(cs);
        this.order = order;
        this.maxValue = order == 6 ? Long.MAX_VALUE : (1L << (1 << order)) - 1;
        this.perBlock = ((long) cs * 8) >>> order;
    }
}
