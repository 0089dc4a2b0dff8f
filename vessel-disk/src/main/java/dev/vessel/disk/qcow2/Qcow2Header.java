package dev.vessel.disk.qcow2;

import dev.vessel.disk.DiskException;
import dev.vessel.disk.ImageFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The qcow2 header and its extensions, parsed with every size bounded so that a hostile file cannot
 * make us allocate or seek without limit.
 */
final class Qcow2Header {
    static final int MAGIC = 0x514649fb;
    static final int EXT_END = 0;
    static final int EXT_BACKING_FORMAT = 0xe2792aca;
    static final int EXT_FEATURE_TABLE = 0x6803f857;
    static final int EXT_BITMAPS = 0x23852875;
    static final int EXT_ENCRYPTION = 0x0537be77;
    static final int EXT_DATA_FILE = 0x44415441;

    static final long INCOMPAT_DIRTY = 1, INCOMPAT_CORRUPT = 2, INCOMPAT_DATA_FILE = 4,
            INCOMPAT_COMPRESSION = 8, INCOMPAT_EXTL2 = 16, INCOMPAT_KNOWN = 31;
    static final long COMPAT_LAZY_REFCOUNTS = 1;
    static final long AUTOCLEAR_BITMAPS = 1, AUTOCLEAR_RAW_DATA = 2;

    static final long MAX_L1_BYTES = 32L << 20;
    static final long MAX_REFTABLE_BYTES = 64L << 20;
    static final int MAX_SNAPSHOTS = 65536;

    int version;
    long backingOffset;
    int backingSize;
    int clusterBits;
    long size;
    int cryptMethod;
    int l1Size;
    long l1Offset;
    long refcountTableOffset;
    int refcountTableClusters;
    int nbSnapshots;
    long snapshotsOffset;
    long incompat;
    long compat;
    long autoclear;
    int refcountOrder = 4;
    int headerLength = 72;
    int compressionType;
    String backingFile;
    String backingFormat;
    String dataFile;
    /** Extensions we keep as they are when the header is rewritten (feature table, bitmaps, ...). */
    final List<byte[]> keptExtensions = new ArrayList<>();
    final List<Integer> keptExtensionTypes = new ArrayList<>();

    int clusterSize() {
        return 1 << clusterBits;
    }

    boolean extendedL2() {
        return (incompat & INCOMPAT_EXTL2) != 0;
    }

    /** Parses the first cluster of a file of {@code fileSize} bytes. */
    static Qcow2Header parse(ByteBuffer b, long fileSize, String name) throws DiskException {
        if (b.remaining() < 72 || b.getInt(0) != MAGIC) {
            throw new DiskException(name + ": not a qcow2 image (bad magic)");
        }
        Qcow2Header h = new Qcow2Header();
        h.version = b.getInt(4);
        if (h.version != 2 && h.version != 3) {
            throw new DiskException(name + ": unsupported qcow2 version " + h.version);
        }
        h.backingOffset = b.getLong(8);
        h.backingSize = b.getInt(16);
        h.clusterBits = b.getInt(20);
        if (h.clusterBits < 9 || h.clusterBits > 21) {
            throw new DiskException(name + ": bad qcow2 cluster bits " + h.clusterBits + " (must be 9..21)");
        }
        int cs = h.clusterSize();
        h.size = b.getLong(24);
        if (h.size < 0 || h.size > (1L << 56)) {
            throw new DiskException(name + ": bad virtual size " + h.size);
        }
        h.cryptMethod = b.getInt(32);
        h.l1Size = b.getInt(36);
        h.l1Offset = b.getLong(40);
        h.refcountTableOffset = b.getLong(48);
        h.refcountTableClusters = b.getInt(56);
        h.nbSnapshots = b.getInt(60);
        h.snapshotsOffset = b.getLong(64);
        if (h.version == 3) {
            if (b.remaining() < 104) {
                throw new DiskException(name + ": truncated qcow2 v3 header");
            }
            h.incompat = b.getLong(72);
            h.compat = b.getLong(80);
            h.autoclear = b.getLong(88);
            h.refcountOrder = b.getInt(96);
            h.headerLength = b.getInt(100);
            if (h.headerLength < 104 || h.headerLength > cs || h.headerLength > b.remaining()) {
                throw new DiskException(name + ": bad qcow2 header length " + h.headerLength);
            }
            if (h.headerLength > 104) {
                h.compressionType = b.get(104) & 0xff;
            }
        }
        if (h.refcountOrder < 0 || h.refcountOrder > 6) {
            throw new DiskException(name + ": bad refcount order " + h.refcountOrder);
        }
        if (h.cryptMethod != 0) {
            throw new DiskException(name + ": encrypted qcow2 images are not supported");
        }
        long unknown = h.incompat & ~INCOMPAT_KNOWN;
        if (unknown != 0) {
            throw new DiskException(name + ": unsupported qcow2 feature bits 0x" + Long.toHexString(unknown));
        }
        if ((h.incompat & INCOMPAT_COMPRESSION) != 0 ? h.compressionType > 1 : h.compressionType != 0) {
            throw new DiskException(name + ": unsupported compression type " + h.compressionType);
        }
        long l2Entries = cs / (h.extendedL2() ? 16 : 8);
        long perL1 = l2Entries * cs;
        long needL1 = (h.size + perL1 - 1) / perL1;
        if (h.l1Size < needL1 || (long) h.l1Size * 8 > MAX_L1_BYTES || h.l1Size < 0) {
            throw new DiskException(name + ": bad L1 table size " + Integer.toUnsignedString(h.l1Size));
        }
        checkTable(name, "L1 table", h.l1Offset, (long) h.l1Size * 8, cs, fileSize, h.l1Size == 0);
        if (h.refcountTableClusters <= 0 || (long) h.refcountTableClusters * cs > MAX_REFTABLE_BYTES) {
            throw new DiskException(name + ": bad refcount table size " + Integer.toUnsignedString(h.refcountTableClusters));
        }
        checkTable(name, "refcount table", h.refcountTableOffset, (long) h.refcountTableClusters * cs, cs, fileSize, false);
        if (h.nbSnapshots < 0 || h.nbSnapshots > MAX_SNAPSHOTS) {
            throw new DiskException(name + ": bad snapshot count " + Integer.toUnsignedString(h.nbSnapshots));
        }
        if (h.nbSnapshots > 0) {
            checkTable(name, "snapshot table", h.snapshotsOffset, 40L * h.nbSnapshots, cs, fileSize, false);
        }
        int extStart = h.version == 3 ? h.headerLength : 72;
        int extEnd = h.backingOffset > 0 && h.backingOffset < cs ? (int) h.backingOffset : cs;
        parseExtensions(h, b, extStart, Math.min(extEnd, b.remaining()), name);
        if (h.backingOffset != 0) {
            if (h.backingSize <= 0 || h.backingSize > 1023 || h.backingOffset < 0
                    || h.backingOffset + h.backingSize > Math.min(cs, b.remaining())) {
                throw new DiskException(name + ": bad backing file name location in the header");
            }
            byte[] nameBytes = new byte[h.backingSize];
            b.get((int) h.backingOffset, nameBytes);
            h.backingFile = new String(nameBytes, StandardCharsets.UTF_8);
        }
        if ((h.incompat & INCOMPAT_DATA_FILE) != 0 && h.dataFile == null) {
            throw new DiskException(name + ": external data file required but its name is missing");
        }
        return h;
    }

    private static void checkTable(String name, String what, long offset, long bytes, int cs, long fileSize,
            boolean empty) throws DiskException {
        if (empty) {
            return;
        }
        if (offset <= 0 || (offset & (cs - 1)) != 0 || offset > fileSize || bytes > fileSize - offset + cs) {
            throw new DiskException(name + ": " + what + " at offset " + offset + " is outside the file or misaligned");
        }
    }

    private static void parseExtensions(Qcow2Header h, ByteBuffer b, int pos, int end, String name)
            throws DiskException {
        while (pos + 8 <= end) {
            int type = b.getInt(pos);
            int len = b.getInt(pos + 4);
            if (type == EXT_END) {
                return;
            }
            if (len < 0 || pos + 8L + len > end) {
                throw new DiskException(name + ": header extension 0x" + Integer.toHexString(type) + " overruns the header");
            }
            byte[] data = new byte[len];
            b.get(pos + 8, data);
            switch (type) {
                case EXT_BACKING_FORMAT -> h.backingFormat = new String(data, StandardCharsets.UTF_8);
                case EXT_DATA_FILE -> h.dataFile = new String(data, StandardCharsets.UTF_8);
                case EXT_ENCRYPTION -> throw new DiskException(name + ": encrypted qcow2 images are not supported");
                case EXT_FEATURE_TABLE, EXT_BITMAPS -> {
                    h.keptExtensionTypes.add(type);
                    h.keptExtensions.add(data);
                }
                default -> {
                    h.keptExtensionTypes.add(type);
                    h.keptExtensions.add(data);
                }
            }
            pos += 8 + ((len + 7) & ~7);
        }
    }

    /** The header, its extensions and the backing file name as the bytes of cluster 0. */
    byte[] serialize() throws DiskException {
        int cs = clusterSize();
        ByteBuffer b = ByteBuffer.allocate(cs);
        b.putInt(0, MAGIC).putInt(4, version);
        b.putInt(20, clusterBits).putLong(24, size).putInt(32, cryptMethod).putInt(36, l1Size).putLong(40, l1Offset)
                .putLong(48, refcountTableOffset).putInt(56, refcountTableClusters).putInt(60, nbSnapshots)
                .putLong(64, snapshotsOffset);
        int pos = 72;
        if (version == 3) {
            headerLength = 112;
            b.putLong(72, incompat).putLong(80, compat).putLong(88, autoclear).putInt(96, refcountOrder)
                    .putInt(100, headerLength).put(104, (byte) compressionType);
            pos = 112;
        }
        b.position(pos);
        if (backingFormat != null) {
            pos = putExt(b, EXT_BACKING_FORMAT, backingFormat.getBytes(StandardCharsets.UTF_8));
        }
        if (dataFile != null) {
            pos = putExt(b, EXT_DATA_FILE, dataFile.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < keptExtensions.size(); i++) {
            pos = putExt(b, keptExtensionTypes.get(i), keptExtensions.get(i));
        }
        if (b.remaining() < 8) {
            throw new DiskException("qcow2 header does not fit in one cluster");
        }
        b.putInt(0).putInt(0);
        if (backingFile != null) {
            byte[] nameBytes = backingFile.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 1023 || b.remaining() < nameBytes.length) {
                throw new DiskException("backing file name too long: " + backingFile);
            }
            b.putLong(8, b.position()).putInt(16, nameBytes.length);
            b.put(nameBytes);
        }
        return b.array();
    }

    private static int putExt(ByteBuffer b, int type, byte[] data) throws DiskException {
        int padded = (data.length + 7) & ~7;
        if (b.remaining() < 8 + padded + 8) {
            throw new DiskException("qcow2 header extensions do not fit in one cluster");
        }
        b.putInt(type).putInt(data.length).put(data);
        b.position(b.position() + padded - data.length);
        return b.position();
    }

    static ImageFormat formatOrNull(String name) {
        if (name == null) {
            return null;
        }
        try {
            return ImageFormat.parse(name);
        } catch (DiskException e) {
            return null;
        }
    }
}
