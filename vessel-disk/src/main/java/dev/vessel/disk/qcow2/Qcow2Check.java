package dev.vessel.disk.qcow2;

import dev.vessel.disk.CheckResult;
import dev.vessel.disk.DiskException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes every cluster's refcount from the image's tables (header, L1/L2 of the active layer and
 * of each snapshot, refcount structures, snapshot table) and compares with the stored refcounts;
 * repairs leaks in place, and rebuilds the refcount structures when they are wrong or the image was
 * left dirty.
 */
public final class Qcow2Check {
    private static final long MAX_CLUSTERS = 1L << 28;

    private final Qcow2Image img;
    private final int bits;
    private int[] expected;
    private long maxReferenced = -1;
    private long corruptions;
    private long compressed;
    private final List<String> messages = new ArrayList<>();

    private Qcow2Check(Qcow2Image img) throws IOException {
        this.img = img;
        this.bits = img.bits;
        long n = (img.channel().size() + img.cs - 1) >>> bits;
        if (n > MAX_CLUSTERS) {
            throw new DiskException(img.name() + ": image too large to check (" + n + " clusters)");
        }
        expected = new int[(int) Math.max(16, n + 16)];
        fileClusters = n;
    }

    public enum Repair { NONE, LEAKS, ALL }

    public static CheckResult check(Qcow2Image img, Repair repair) throws IOException {
        Qcow2Check c = new Qcow2Check(img);
        c.walk(true);
        List<long[]> leaked = new ArrayList<>();
        long errors = c.compare(leaked);
        long leaks = leaked.size();
        long leaksFixed = 0;
        long errorsFixed = 0;
        long copiedErrors = c.checkCopiedFlags(false);
        errors += copiedErrors;
        if (repair != Repair.NONE && img.writable()) {
            if (repair == Repair.ALL && (errors > 0 || c.corruptions > 0)) {
                if (c.corruptions > 0) {
                    throw new DiskException(img.name() + ": the image's tables are damaged beyond what check can repair");
                }
                rebuildRefcounts(img);
                c.checkCopiedFlags(true);
                errorsFixed = errors;
                leaksFixed = leaks;
                errors = 0;
                leaks = 0;
            } else if (repair == Repair.ALL || repair == Repair.LEAKS) {
                for (long[] l : leaked) {
                    img.rc.add(l[0], 1, -l[1]);
                }
                leaksFixed = leaks;
                leaks = 0;
            }
            img.channel().force(true);
            if (leaksFixed + errorsFixed > 0) {
                c.messages.add("The following inconsistencies were found and repaired:");
                c.messages.add("");
                c.messages.add("    " + leaksFixed + " leaked clusters");
                c.messages.add("    " + errorsFixed + " corruptions");
                c.messages.add("");
                c.messages.add("Double checking the fixed image now...");
                Qcow2Check again = new Qcow2Check(img);
                again.walk(true);
                List<long[]> l2 = new ArrayList<>();
                errors = again.compare(l2) + again.corruptions + again.checkCopiedFlags(false);
                leaks = l2.size();
            }
        }
        long allocated = 0;
        for (int i = 0; i < c.expected.length; i++) {
            if (c.expected[i] > 0) {
                allocated++;
            }
        }
        long total = (img.size() + img.cs - 1) >>> img.bits;
        return new CheckResult(errors + c.corruptions, leaks, errorsFixed, leaksFixed, c.dataClusters, total,
                c.compressed, img.channel().size(), c.messages);
    }

    private long dataClusters;
    private long fileClusters;

    private void inc(long offset, long bytes) {
        if (bytes <= 0) {
            return;
        }
        long first = offset >>> bits;
        long last = (offset + bytes - 1) >>> bits;
        for (long c = first; c <= last; c++) {
            if (c >= fileClusters + 1024 || c >= MAX_CLUSTERS) {
                corruptions++;
                if (messages.size() < 1000) {
                    messages.add("ERROR reference to cluster " + c + " past the end of the file");
                }
                return;
            }
            if (c >= expected.length) {
                expected = java.util.Arrays.copyOf(expected, (int) Math.min(MAX_CLUSTERS, Math.max(c + 16, expected.length * 2L)));
            }
            expected[(int) c]++;
            maxReferenced = Math.max(maxReferenced, c);
        }
    }

    private boolean aligned(long off, String what) {
        if ((off & (img.cs - 1)) != 0) {
            corruptions++;
            messages.add("ERROR " + what + " offset 0x" + Long.toHexString(off) + " is not cluster aligned");
            return false;
        }
        return true;
    }

    private void walk(boolean countRefcountStructures) throws IOException {
        Qcow2Header h = img.h;
        inc(0, img.cs);
        walkL1(img.l1, h.l1Offset, h.l1Size, true);
        if (countRefcountStructures) {
            inc(h.refcountTableOffset, (long) h.refcountTableClusters * img.cs);
            for (long b : img.rc.table) {
                if (b != 0 && aligned(b, "refcount block")) {
                    inc(b, img.cs);
                }
            }
        }
        List<Qcow2Snapshots.Entry> snaps = Qcow2Snapshots.read(img);
        if (h.nbSnapshots > 0) {
            inc(h.snapshotsOffset, Qcow2Snapshots.tableBytes(snaps));
        }
        for (Qcow2Snapshots.Entry s : snaps) {
            long[] l1 = Qcow2Snapshots.readL1(img, s);
            walkL1(l1, s.l1Offset, s.l1Size, false);
        }
    }

    private void walkL1(long[] l1, long l1Offset, int l1Size, boolean active) throws IOException {
        if (l1Size > 0 && aligned(l1Offset, "L1 table")) {
            inc(l1Offset, (long) l1Size * 8);
        }
        boolean ext = img.h.extendedL2();
        for (long e : l1) {
            long l2 = e & Qcow2Image.OFFSET_MASK;
            if (l2 == 0 || !aligned(l2, "L2 table")) {
                continue;
            }
            if (l2 >= img.channel().size()) {
                corruptions++;
                messages.add("ERROR L2 table at offset 0x" + Long.toHexString(l2) + " is past the end of the file");
                continue;
            }
            inc(l2, img.cs);
            long[] t = img.loadL2(l2);
            int step = ext ? 2 : 1;
            for (int i = 0; i < t.length; i += step) {
                long d = t[i];
                if ((d & Qcow2Image.COMPRESSED) != 0) {
                    long off = img.compressedOffset(d);
                    inc(off, img.compressedBytes(d));
                    if (active) {
                        compressed++;
                        dataClusters++;
                    }
                } else if ((d & Qcow2Image.OFFSET_MASK) != 0) {
                    long host = d & Qcow2Image.OFFSET_MASK;
                    if (aligned(host, "data cluster") && img.h.dataFile == null) {
                        inc(host, img.cs);
                    }
                    if (active) {
                        dataClusters++;
                    }
                }
            }
        }
    }

    /** Compares stored with computed refcounts; fills leaked with {cluster, excess}; returns errors. */
    private long compare(List<long[]> leaked) throws IOException {
        long errors = 0;
        long limit = Math.max(expected.length, (long) img.rc.table.length * img.rc.perBlock);
        limit = Math.min(limit, MAX_CLUSTERS);
        for (long c = 0; c < limit; c++) {
            long bi = c / img.rc.perBlock;
            long stored;
            if (bi >= img.rc.table.length || img.rc.table[(int) bi] == 0) {
                if (c >= expected.length) {
                    c = (bi + 1) * img.rc.perBlock - 1;
                    continue;
                }
                stored = 0;
            } else {
                stored = img.rc.get(c);
            }
            long exp = c < expected.length ? expected[(int) c] : 0;
            if (stored > exp) {
                if (messages.size() < 1000) {
                    messages.add("Leaked cluster " + c + " refcount=" + stored + " reference=" + exp);
                }
                leaked.add(new long[] {c, stored - exp});
            } else if (stored < exp) {
                if (messages.size() < 1000) {
                    messages.add("ERROR cluster " + c + " refcount=" + stored + " reference=" + exp);
                }
                errors++;
            }
        }
        return errors;
    }

    /** Checks (and if fix, repairs) the COPIED flags of the active L1 and L2 tables. */
    private long checkCopiedFlags(boolean fix) throws IOException {
        long errors = 0;
        boolean ext = img.h.extendedL2();
        for (int i = 0; i < img.l1.length; i++) {
            long e = img.l1[i];
            long l2 = e & Qcow2Image.OFFSET_MASK;
            if (l2 == 0 || (l2 & (img.cs - 1)) != 0 || l2 >= img.channel().size()) {
                continue;
            }
            boolean one = img.rc.get(l2 >>> bits) == 1;
            if (one != ((e & Qcow2Image.COPIED) != 0)) {
                errors++;
                if (!fix) {
                    messages.add("ERROR OFLAG_COPIED L2 cluster: l1_index=" + i + " l1_entry=" + Long.toHexString(e));
                } else {
                    img.l1[i] = one ? e | Qcow2Image.COPIED : e & ~Qcow2Image.COPIED;
                    img.writeL1Entry(i);
                }
            }
            long[] t = img.loadL2(l2);
            int step = ext ? 2 : 1;
            for (int k = 0; k < t.length; k += step) {
                long d = t[k];
                if ((d & Qcow2Image.COMPRESSED) != 0 || (d & Qcow2Image.OFFSET_MASK) == 0 || img.h.dataFile != null) {
                    continue;
                }
                long host = d & Qcow2Image.OFFSET_MASK;
                if ((host & (img.cs - 1)) != 0) {
                    continue;
                }
                boolean dOne = img.rc.get(host >>> bits) == 1;
                if (dOne != ((d & Qcow2Image.COPIED) != 0)) {
                    errors++;
                    if (!fix) {
                        messages.add("ERROR OFLAG_COPIED data cluster: l2_entry=" + Long.toHexString(d));
                    } else {
                        t[k] = dOne ? d | Qcow2Image.COPIED : d & ~Qcow2Image.COPIED;
                        img.writeL2Entries(l2, t, k, k + 1);
                    }
                }
            }
        }
        return errors;
    }

    /** Writes new refcount structures at the end of the file from the tables, then switches to them. */
    static void rebuildRefcounts(Qcow2Image img) throws IOException {
        Qcow2Check c = new Qcow2Check(img);
        c.walk(false);
        if (c.corruptions > 0) {
            throw new DiskException(img.name() + ": cannot rebuild refcounts: " + String.join("; ", c.messages));
        }
        int cs = img.cs;
        long perBlock = img.rc.perBlock;
        long start = Math.max(c.maxReferenced + 1, (img.channel().size() + cs - 1) >>> img.bits);
        long tableClusters = 1;
        long blocks = 1;
        for (;;) {
            long end = start + tableClusters + blocks;
            long nb = (end + perBlock - 1) / perBlock;
            long tc = Math.max(1, (nb * 8 + cs - 1) / cs);
            if (nb == blocks && tc == tableClusters) {
                break;
            }
            blocks = nb;
            tableClusters = tc;
        }
        if (tableClusters * cs > Qcow2Header.MAX_REFTABLE_BYTES) {
            throw new DiskException(img.name() + ": image too large to rebuild its refcounts");
        }
        long end = start + tableClusters + blocks;
        for (long x = start; x < end; x++) {
            c.inc(x << img.bits, 1);
        }
        Qcow2Refcounts.Writer w = new Qcow2Refcounts.Writer(img.rc.order, cs);
        ByteBuffer table = ByteBuffer.allocate((int) (tableClusters * cs));
        long blockStart = start + tableClusters;
        for (long bi = 0; bi < blocks; bi++) {
            byte[] blk = new byte[cs];
            for (long x = bi * perBlock; x < Math.min(end, (bi + 1) * perBlock) && x < c.expected.length; x++) {
                long v = c.expected[(int) x];
                if (v > w.maxValue()) {
                    throw new DiskException(img.name() + ": refcount " + v + " too large for the image's refcount width");
                }
                w.set(blk, (int) (x - bi * perBlock), v);
            }
            long off = (blockStart + bi) << img.bits;
            Io.write(img.channel(), off, blk, 0, cs);
            table.putLong((int) (bi * 8), off);
        }
        Io.write(img.channel(), start << img.bits, table);
        img.channel().force(true);
        Qcow2Header h = img.h;
        h.refcountTableOffset = start << img.bits;
        h.refcountTableClusters = (int) tableClusters;
        Io.write(img.channel(), 48, ByteBuffer.allocate(12).putLong(0, h.refcountTableOffset).putInt(8, h.refcountTableClusters));
        img.channel().force(true);
        img.rc = new Qcow2Refcounts(img, img.channel(), h, img.channel().size());
    }
}
