package dev.vessel.disk.qcow2;

import dev.vessel.disk.DiskException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a new, empty qcow2 image: header, refcount table and blocks, L1 table. The file is built
 * under a temporary name, synced and renamed into place, so a crash never leaves half an image.
 */
public final class Qcow2Creator {
    private Qcow2Creator() {
    }

    public static void create(Path file, long size, int clusterSize, boolean v2, int refcountBits,
            boolean lazyRefcounts, String compression, String backingFile, String backingFormat)
            throws IOException {
        create(file, size, clusterSize, v2, refcountBits, lazyRefcounts, compression, backingFile, backingFormat,
                true);
    }

    /** As above; without sync the new file is not fsynced (for a scratch copy that is never synced either). */
    public static void create(Path file, long size, int clusterSize, boolean v2, int refcountBits,
            boolean lazyRefcounts, String compression, String backingFile, String backingFormat, boolean sync)
            throws IOException {
        if (Integer.bitCount(clusterSize) != 1 || clusterSize < 512 || clusterSize > (2 << 20)) {
            throw new DiskException("cluster size must be a power of two between 512 and 2M, not " + clusterSize);
        }
        if (Integer.bitCount(refcountBits) != 1 || refcountBits > 64) {
            throw new DiskException("refcount bits must be a power of two up to 64, not " + refcountBits);
        }
        if (v2 && refcountBits != 16) {
            throw new DiskException("compat 0.10 images need 16 refcount bits");
        }
        if (v2 && lazyRefcounts) {
            throw new DiskException("lazy refcounts need compat 1.1");
        }
        if (size < 0 || size > (1L << 54)) {
            throw new DiskException("bad image size " + size);
        }
        int zstd = "zstd".equals(compression) ? 1 : 0;
        if (compression != null && !compression.equals("zlib") && zstd == 0) {
            throw new DiskException("unknown compression type '" + compression + "' (use zlib or zstd)");
        }
        if (v2 && zstd == 1) {
            throw new DiskException("zstd compression needs compat 1.1");
        }
        int bits = Integer.numberOfTrailingZeros(clusterSize);
        long perL1 = (long) (clusterSize / 8) * clusterSize;
        long l1Size = (size + perL1 - 1) / perL1;
        if (l1Size * 8 > Qcow2Header.MAX_L1_BYTES) {
            throw new DiskException("size " + size + " is too large for cluster size " + clusterSize);
        }
        long l1Clusters = Math.max(1, (l1Size * 8 + clusterSize - 1) / clusterSize);
        int order = Integer.numberOfTrailingZeros(refcountBits);
        long perBlock = ((long) clusterSize * 8) >>> order;
        // Layout: header, refcount table, refcount blocks, L1 table; solve for the counts.
        long tableClusters = 1;
        long blocks = 1;
        for (;;) {
            long total = 1 + tableClusters + blocks + l1Clusters;
            long needBlocks = (total + perBlock - 1) / perBlock;
            long needTable = Math.max(1, (needBlocks * 8 + clusterSize - 1) / clusterSize);
            if (needBlocks == blocks && needTable == tableClusters) {
                break;
            }
            blocks = needBlocks;
            tableClusters = needTable;
        }
        long total = 1 + tableClusters + blocks + l1Clusters;
        Qcow2Header h = new Qcow2Header();
        h.version = v2 ? 2 : 3;
        h.clusterBits = bits;
        h.size = size;
        h.l1Size = (int) l1Size;
        h.refcountTableOffset = (long) clusterSize;
        h.refcountTableClusters = (int) tableClusters;
        long firstBlock = 1 + tableClusters;
        h.l1Offset = (firstBlock + blocks) * clusterSize;
        h.refcountOrder = order;
        h.compat = lazyRefcounts ? Qcow2Header.COMPAT_LAZY_REFCOUNTS : 0;
        h.compressionType = zstd;
        h.incompat = zstd == 1 ? Qcow2Header.INCOMPAT_COMPRESSION : 0;
        h.backingFile = backingFile;
        h.backingFormat = backingFile == null ? null : backingFormat;
        if (!v2) {
            h.keptExtensionTypes.add(Qcow2Header.EXT_FEATURE_TABLE);
            h.keptExtensions.add(featureTable());
        }
        byte[] header = h.serialize();

        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            Io.write(ch, 0, header, 0, header.length);
            ByteBuffer table = ByteBuffer.allocate((int) (tableClusters * clusterSize));
            for (long i = 0; i < blocks; i++) {
                table.putLong((int) (i * 8), (firstBlock + i) * clusterSize);
            }
            Io.write(ch, clusterSize, table);
            Qcow2Refcounts.Writer w = new Qcow2Refcounts.Writer(order, clusterSize);
            for (long i = 0; i < blocks; i++) {
                byte[] blk = new byte[clusterSize];
                for (long c = i * perBlock; c < Math.min(total, (i + 1) * perBlock); c++) {
                    w.set(blk, (int) (c - i * perBlock), 1);
                }
                Io.write(ch, (firstBlock + i) * clusterSize, blk, 0, clusterSize);
            }
            Io.write(ch, h.l1Offset, ByteBuffer.allocate((int) (l1Clusters * clusterSize)));
            if (sync) {
                ch.force(true);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The feature name table QEMU writes, so tools can name our feature bits. */
    private static byte[] featureTable() {
        String[][] names = {
            {"0", "0", "dirty bit"}, {"0", "1", "corrupt bit"}, {"0", "2", "external data file"},
            {"0", "3", "compression type"}, {"0", "4", "extended L2 entries"},
            {"1", "0", "lazy refcounts"}, {"2", "0", "bitmaps"}, {"2", "1", "raw external data"},
        };
        ByteBuffer b = ByteBuffer.allocate(48 * names.length);
        for (int i = 0; i < names.length; i++) {
            b.put(i * 48, (byte) Integer.parseInt(names[i][0]));
            b.put(i * 48 + 1, (byte) Integer.parseInt(names[i][1]));
            byte[] n = names[i][2].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            b.put(i * 48 + 2, n);
        }
        return b.array();
    }
}
