package dev.vessel.disk.qcow2;

import dev.vessel.disk.DiskException;
import dev.vessel.disk.SnapshotInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal snapshots: the snapshot table, copies of the L1 table, and the refcount changes that make
 * clusters shared (and copied on the next write). Each operation orders its writes so that a crash
 * leaves at worst leaked clusters.
 */
public final class Qcow2Snapshots {
    private static final long MAX_TABLE_BYTES = 64L << 20;

    private Qcow2Snapshots() {
    }

    static final class Entry {
        long l1Offset;
        int l1Size;
        String id;
        String name;
        long dateSec;
        long dateNsec;
        long vmClockNsec;
        long vmStateSize;
        long vmStateSizeLarge;
        long diskSize = -1;
        long icount = -1;
        int extraSize;

        int bytes() {
            int n = 40 + extraSize + id.getBytes(StandardCharsets.UTF_8).length
                    + name.getBytes(StandardCharsets.UTF_8).length;
            return (n + 7) & ~7;
        }

        SnapshotInfo info() {
            return new SnapshotInfo(id, name, Math.max(vmStateSize, vmStateSizeLarge), dateSec, dateNsec,
                    vmClockNsec, icount, diskSize);
        }
    }

    static List<Entry> read(Qcow2Image img) throws IOException {
        Qcow2Header h = img.h;
        List<Entry> list = new ArrayList<>();
        if (h.nbSnapshots == 0) {
            return list;
        }
        long fileSize = img.channel().size();
        long pos = h.snapshotsOffset;
        long end = Math.min(fileSize, pos + MAX_TABLE_BYTES);
        for (int n = 0; n < h.nbSnapshots; n++) {
            if (pos + 40 > end) {
                throw new DiskException(img.name() + ": snapshot table runs past the end of the file");
            }
            ByteBuffer b = ByteBuffer.allocate(40);
            Io.read(img.channel(), pos, b);
            Entry e = new Entry();
            e.l1Offset = b.getLong(0);
            e.l1Size = b.getInt(8);
            int idSize = b.getShort(12) & 0xffff;
            int nameSize = b.getShort(14) & 0xffff;
            e.dateSec = b.getInt(16) & 0xffffffffL;
            e.dateNsec = b.getInt(20) & 0xffffffffL;
            e.vmClockNsec = b.getLong(24);
            e.vmStateSize = b.getInt(32) & 0xffffffffL;
            e.extraSize = b.getInt(36);
            if (e.extraSize < 0 || e.extraSize > 1024) {
                throw new DiskException(img.name() + ": bad snapshot extra data size " + e.extraSize);
            }
            long entryBytes = 40L + e.extraSize + idSize + nameSize;
            if (pos + entryBytes > end) {
                throw new DiskException(img.name() + ": snapshot table runs past the end of the file");
            }
            ByteBuffer rest = ByteBuffer.allocate((int) (entryBytes - 40));
            Io.read(img.channel(), pos + 40, rest);
            if (e.extraSize >= 8) {
                e.vmStateSizeLarge = rest.getLong(0);
            }
            if (e.extraSize >= 16) {
                e.diskSize = rest.getLong(8);
            }
            if (e.extraSize >= 24) {
                e.icount = rest.getLong(16);
            }
            byte[] id = new byte[idSize];
            rest.get(e.extraSize, id);
            byte[] name = new byte[nameSize];
            rest.get(e.extraSize + idSize, name);
            e.id = new String(id, StandardCharsets.UTF_8);
            e.name = new String(name, StandardCharsets.UTF_8);
            if (e.l1Size < 0 || (long) e.l1Size * 8 > Qcow2Header.MAX_L1_BYTES
                    || (e.l1Size > 0 && ((e.l1Offset & (img.cs - 1)) != 0 || e.l1Offset <= 0
                            || e.l1Offset + (long) e.l1Size * 8 > fileSize))) {
                throw new DiskException(img.name() + ": snapshot '" + e.name + "' has a bad L1 table (image corrupt)");
            }
            list.add(e);
            pos += (entryBytes + 7) & ~7;
        }
        return list;
    }

    static long tableBytes(List<Entry> list) {
        long n = 0;
        for (Entry e : list) {
            n += e.bytes();
        }
        return n;
    }

    static long[] readL1(Qcow2Image img, Entry e) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(e.l1Size * 8);
        Io.read(img.channel(), e.l1Offset, b);
        long[] l1 = new long[e.l1Size];
        for (int i = 0; i < l1.length; i++) {
            l1[i] = b.getLong(i * 8);
        }
        return l1;
    }

    /** Writes a new snapshot table, points the header at it, and frees the old one. */
    private static void writeTable(Qcow2Image img, List<Entry> list) throws IOException {
        Qcow2Header h = img.h;
        long oldOffset = h.snapshotsOffset;
        long oldBytes = h.nbSnapshots == 0 ? 0 : tableBytes(read(img));
        long bytes = tableBytes(list);
        long offset = 0;
        if (!list.isEmpty()) {
            long clusters = (bytes + img.cs - 1) >>> img.bits;
            offset = img.rc.allocate(clusters) << img.bits;
            ByteBuffer b = ByteBuffer.allocate((int) bytes);
            int pos = 0;
            for (Entry e : list) {
                byte[] id = e.id.getBytes(StandardCharsets.UTF_8);
                byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
                b.putLong(pos, e.l1Offset).putInt(pos + 8, e.l1Size).putShort(pos + 12, (short) id.length)
                        .putShort(pos + 14, (short) name.length).putInt(pos + 16, (int) e.dateSec)
                        .putInt(pos + 20, (int) e.dateNsec).putLong(pos + 24, e.vmClockNsec)
                        .putInt(pos + 32, (int) e.vmStateSize).putInt(pos + 36, e.extraSize);
                int x = pos + 40;
                if (e.extraSize >= 8) {
                    b.putLong(x, e.vmStateSizeLarge);
                }
                if (e.extraSize >= 16) {
                    b.putLong(x + 8, e.diskSize);
                }
                if (e.extraSize >= 24) {
                    b.putLong(x + 16, e.icount);
                }
                x += e.extraSize;
                b.put(x, id);
                b.put(x + id.length, name);
                pos += e.bytes();
            }
            Io.write(img.channel(), offset, b);
        }
        h.nbSnapshots = list.size();
        h.snapshotsOffset = offset;
        Io.write(img.channel(), 60, ByteBuffer.allocate(12).putInt(0, h.nbSnapshots).putLong(4, offset));
        if (oldBytes > 0) {
            img.rc.free(oldOffset, oldBytes);
        }
    }

    public static List<SnapshotInfo> list(Qcow2Image img) throws IOException {
        List<SnapshotInfo> out = new ArrayList<>();
        for (Entry e : read(img)) {
            out.add(e.info());
        }
        return out;
    }

    private static Entry find(List<Entry> list, String nameOrId, Qcow2Image img) throws DiskException {
        for (Entry e : list) {
            if (e.name.equals(nameOrId)) {
                return e;
            }
        }
        for (Entry e : list) {
            if (e.id.equals(nameOrId)) {
                return e;
            }
        }
        throw new DiskException(img.name() + ": no snapshot named '" + nameOrId + "'");
    }

    /** Adds delta to the refcounts of every L2 table and data cluster reachable from l1. */
    private static void addRefcounts(Qcow2Image img, long[] l1, long delta) throws IOException {
        for (long e : l1) {
            long l2 = e & Qcow2Image.OFFSET_MASK;
            if (l2 == 0) {
                continue;
            }
            long[] t = img.loadL2(l2);
            for (long d : t) {
                if ((d & Qcow2Image.COMPRESSED) != 0) {
                    long off = img.compressedOffset(d) & ~511L;
                    long bytes = img.compressedBytes(d) + (img.compressedOffset(d) & 511);
                    long first = off >>> img.bits;
                    long last = (off + bytes - 1) >>> img.bits;
                    img.rc.add(first, last - first + 1, delta);
                } else if ((d & Qcow2Image.OFFSET_MASK) != 0 && img.h.dataFile == null) {
                    img.rc.add((d & Qcow2Image.OFFSET_MASK) >>> img.bits, 1, delta);
                }
            }
            img.rc.add(l2 >>> img.bits, 1, delta);
            if (img.rc.get(l2 >>> img.bits) == 0) {
                img.forgetL2(l2);
            }
        }
    }

    /** Sets the COPIED flag on the active tables exactly where the refcount is 1. */
    private static void fixCopiedFlags(Qcow2Image img) throws IOException {
        boolean l1Changed = false;
        for (int i = 0; i < img.l1.length; i++) {
            long e = img.l1[i];
            long l2 = e & Qcow2Image.OFFSET_MASK;
            if (l2 == 0) {
                continue;
            }
            long want = img.rc.get(l2 >>> img.bits) == 1 ? (e | Qcow2Image.COPIED) : (e & ~Qcow2Image.COPIED);
            if (want != e) {
                img.l1[i] = want;
                l1Changed = true;
            }
            long[] t = img.loadL2(l2);
            boolean changed = false;
            for (int k = 0; k < t.length; k++) {
                long d = t[k];
                if ((d & Qcow2Image.COMPRESSED) != 0 || (d & Qcow2Image.OFFSET_MASK) == 0) {
                    continue;
                }
                long wd = img.rc.get((d & Qcow2Image.OFFSET_MASK) >>> img.bits) == 1
                        ? d | Qcow2Image.COPIED : d & ~Qcow2Image.COPIED;
                if (wd != d) {
                    t[k] = wd;
                    changed = true;
                }
            }
            if (changed) {
                img.writeL2Entries(l2, t, 0, t.length);
            }
        }
        if (l1Changed) {
            writeActiveL1(img);
        }
    }

    private static void writeActiveL1(Qcow2Image img) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(img.l1.length * 8);
        for (int i = 0; i < img.l1.length; i++) {
            b.putLong(i * 8, img.l1[i]);
        }
        Io.write(img.channel(), img.h.l1Offset, b);
    }

    public static void create(Qcow2Image img, String name) throws IOException {
        synchronized (img) {
            List<Entry> list = read(img);
            for (Entry e : list) {
                if (e.name.equals(name)) {
                    throw new DiskException(img.name() + ": a snapshot named '" + name + "' already exists");
                }
            }
            if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 65535) {
                throw new DiskException("bad snapshot name '" + name + "'");
            }
            long maxId = 0;
            for (Entry e : list) {
                try {
                    maxId = Math.max(maxId, Long.parseLong(e.id));
                } catch (NumberFormatException ignored) {
                    // ids need not be numbers
                }
            }
            Entry s = new Entry();
            s.id = Long.toString(maxId + 1);
            s.name = name;
            long now = System.currentTimeMillis();
            s.dateSec = now / 1000;
            s.dateNsec = (now % 1000) * 1_000_000;
            s.extraSize = 24;
            s.diskSize = img.size();
            s.icount = 0;
            s.l1Size = img.l1.length;
            long clusters = Math.max(1, ((long) s.l1Size * 8 + img.cs - 1) >>> img.bits);
            s.l1Offset = img.rc.allocate(clusters) << img.bits;
            ByteBuffer b = ByteBuffer.allocate((int) (clusters << img.bits));
            for (int i = 0; i < img.l1.length; i++) {
                b.putLong(i * 8, img.l1[i] & ~Qcow2Image.COPIED);
            }
            Io.write(img.channel(), s.l1Offset, b);
            addRefcounts(img, img.l1, 1);
            fixCopiedFlags(img);
            list.add(s);
            writeTable(img, list);
            img.channel().force(true);
        }
    }

    public static void delete(Qcow2Image img, String name) throws IOException {
        synchronized (img) {
            List<Entry> list = read(img);
            Entry s = find(list, name, img);
            long[] l1 = readL1(img, s);
            list.remove(s);
            writeTable(img, list);
            addRefcounts(img, l1, -1);
            if (s.l1Size > 0) {
                img.rc.free(s.l1Offset, (long) s.l1Size * 8);
            }
            fixCopiedFlags(img);
            img.channel().force(true);
        }
    }

    public static void apply(Qcow2Image img, String name) throws IOException {
        synchronized (img) {
            List<Entry> list = read(img);
            Entry s = find(list, name, img);
            long[] snapL1 = readL1(img, s);
            long[] oldL1 = img.l1.clone();
            if (s.diskSize >= 0 && s.diskSize != img.size()) {
                img.grow(Math.max(s.diskSize, img.size()));
            }
            addRefcounts(img, snapL1, 1);
            long[] nl = new long[Math.max(img.l1.length, snapL1.length)];
            System.arraycopy(snapL1, 0, nl, 0, snapL1.length);
            if (nl.length > img.l1.length) {
                img.grow((long) nl.length * (img.l2Entries) * img.cs);
            }
            img.l1 = java.util.Arrays.copyOf(nl, img.l1.length);
            writeActiveL1(img);
            addRefcounts(img, oldL1, -1);
            if (s.diskSize >= 0 && s.diskSize != img.size()) {
                img.h.size = s.diskSize;
                img.writeHeaderField(24, s.diskSize);
            }
            fixCopiedFlags(img);
            img.channel().force(true);
        }
    }
}
