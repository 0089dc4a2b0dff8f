package dev.vessel.disk;

import dev.vessel.disk.qcow2.Qcow2Check;
import dev.vessel.disk.qcow2.Qcow2Creator;
import dev.vessel.disk.qcow2.Qcow2Image;
import dev.vessel.disk.qcow2.Qcow2Snapshots;
import dev.vessel.disk.raw.RawImage;
import dev.vessel.disk.vhd.VhdImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The disk library's entry points: create, open (with the backing chain), inspect, snapshot, commit,
 * convert, rebase, resize, check, compare and map images. Every method takes paths and works on the
 * files directly; relative backing file names are relative to the directory of the image naming them.
 */
public final class Disks {
    /** Backing chains deeper than this are refused (also catches loops). */
    public static final int MAX_CHAIN_DEPTH = 256;

    private Disks() {
    }

    // ---- create ----

    /** Creates a qcow2 image (compat 1.1, 64 KiB clusters, 16-bit refcounts) of the given size. */
    public static void createQcow2(Path file, long size) throws IOException {
        create(file, CreateOptions.qcow2(size));
    }

    /**
     * Creates a qcow2 differencing image over {@code backingFile} (stored as given: relative names are
     * relative to {@code file}'s directory), of the backing image's size.
     */
    public static void createDifferencing(Path file, String backingFile, ImageFormat backingFormat)
            throws IOException {
        create(file, CreateOptions.qcow2(-1).withBacking(backingFile, backingFormat));
    }

    /** Creates an image as the options say. */
    public static void create(Path file, CreateOptions o) throws IOException {
        create(file, o, true);
    }

    /** Creates an image; without sync, not fsynced (convert's scratch copy, which is never synced either). */
    private static void create(Path file, CreateOptions o, boolean sync) throws IOException {
        long size = o.size();
        ImageFormat backingFormat = o.backingFormat();
        if (o.backingFile() != null) {
            Path bp = resolveBacking(file, o.backingFile());
            if (!Files.exists(bp)) {
                throw new DiskException("backing file " + bp + " does not exist");
            }
            if (backingFormat == null) {
                backingFormat = probe(bp);
            }
            if (size < 0) {
                try (BlockDevice b = open(bp, backingFormat, false)) {
                    size = b.size();
                }
            }
        }
        if (size < 0) {
            throw new DiskException("image size required for " + file);
        }
        if (file.getParent() != null && !Files.isDirectory(file.toAbsolutePath().getParent())) {
            throw new DiskException("directory " + file.toAbsolutePath().getParent() + " does not exist");
        }
        switch (o.format()) {
            case QCOW2 -> Qcow2Creator.create(file, size, o.clusterSize(), o.compatV2(), o.refcountBits(),
                    o.lazyRefcounts(), o.compression(), o.backingFile(),
                    backingFormat == null ? null : backingFormat.qemuName(), sync);
            case RAW -> {
                if (o.backingFile() != null) {
                    throw new DiskException("raw images cannot have a backing file");
                }
                RawImage.create(file, size, sync);
            }
            case VHD -> VhdImage.create(file, size, o.vhdSubformat(), o.backingFile(), sync);
        }
    }

    /** A linked clone (a qcow2 differencing image over base) or, with full, a complete copy. */
    public static void clone(Path base, Path clone, boolean full) throws IOException {
        if (full) {
            convert(base, null, clone, ImageFormat.QCOW2, false);
            return;
        }
        Path abs = base.toAbsolutePath();
        Path dir = clone.toAbsolutePath().getParent();
        String name = dir != null && abs.getParent() != null && abs.getParent().equals(dir)
                ? abs.getFileName().toString() : abs.toString();
        createDifferencing(clone, name, probe(base));
    }

    // ---- open ----

    /** The format of an image file, from its contents. */
    public static ImageFormat probe(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(512);
            ch.read(b, 0);
            if (b.position() >= 4 && b.getInt(0) == 0x514649fb) {
                return ImageFormat.QCOW2;
            }
            if (VhdImage.looksLikeVhd(ch)) {
                return ImageFormat.VHD;
            }
            return ImageFormat.RAW;
        } catch (NoSuchFileException e) {
            throw new DiskException("image " + file + " does not exist");
        }
    }

    /** Opens an image of any format with its backing chain (backing images read-only). */
    public static BlockDevice open(Path file, boolean writable) throws IOException {
        return open(file, null, writable);
    }

    /** Opens an image of the given format (null: probe) with its backing chain. */
    public static BlockDevice open(Path file, ImageFormat format, boolean writable) throws IOException {
        return openChain(file, format, writable, false, 0);
    }

    static BlockDevice openChain(Path file, ImageFormat format, boolean writable, boolean backingWritable, int depth)
            throws IOException {
        if (depth > MAX_CHAIN_DEPTH) {
            throw new DiskException(file + ": backing chain deeper than " + MAX_CHAIN_DEPTH + " (a loop?)");
        }
        if (!Files.exists(file)) {
            throw new DiskException("image " + file + " does not exist");
        }
        ImageFormat fmt = format == null ? probe(file) : format;
        switch (fmt) {
            case RAW:
                return RawImage.open(file, writable);
            case QCOW2: {
                Qcow2Image img = Qcow2Image.open(file, writable);
                try {
                    if (img.backingFileName() != null) {
                        Path bp = resolveBacking(file, img.backingFileName());
                        ImageFormat bf = img.backingFormatName() == null ? null : ImageFormat.parse(img.backingFormatName());
                        img.attachBacking(openChain(bp, bf, backingWritable, false, depth + 1));
                    }
                } catch (IOException | RuntimeException e) {
                    img.close();
                    throw e;
                }
                return img;
            }
            case VHD: {
                VhdImage img = VhdImage.open(file, writable);
                try {
                    if (img.parentPath() != null) {
                        img.attachBacking(openChain(img.parentPath(), ImageFormat.VHD, backingWritable, false, depth + 1));
                    }
                } catch (IOException | RuntimeException e) {
                    img.close();
                    throw e;
                }
                return img;
            }
            default:
                throw new DiskException("unsupported format " + fmt);
        }
    }

    /** A backing file name as written in an image, resolved against that image's directory. */
    public static Path resolveBacking(Path image, String backing) {
        Path b = Path.of(backing);
        if (b.isAbsolute()) {
            return b;
        }
        Path dir = image.toAbsolutePath().getParent();
        return dir == null ? b : dir.resolve(b).normalize();
    }

    // ---- info ----

    public static ImageInfo info(Path file) throws IOException {
        ImageFormat fmt = probe(file);
        long actual = Files.size(file);
        switch (fmt) {
            case QCOW2: {
                try (Qcow2Image img = Qcow2Image.open(file, false)) {
                    String bf = img.backingFileName();
                    // As qemu-img: a relative name joined to the image's path as given.
                    String full = bf == null ? null : Path.of(bf).isAbsolute() || file.getParent() == null ? bf
                            : file.getParent().resolve(bf).toString();
                    ImageFormat bfmt = img.backingFormatName() == null ? null : ImageFormat.parse(img.backingFormatName());
                    boolean v3 = img.version() == 3;
                    return new ImageInfo(file.toString(), fmt, img.size(), actual, img.clusterSize(), bf,
                            full, bfmt,
                            img.dirty(), v3 ? "1.1" : "0.10", img.compressionName(), img.lazyRefcounts(),
                            img.refcountBits(), img.corrupt(), img.extendedL2(), img.dataFile(),
                            Qcow2Snapshots.list(img), null);
                }
            }
            case VHD: {
                try (VhdImage img = VhdImage.open(file, false)) {
                    String parent = img.parentPath() == null ? null : img.parentPath().toString();
                    return new ImageInfo(file.toString(), fmt, img.size(), actual, img.blockSize(), parent, parent,
                            parent == null ? null : ImageFormat.VHD, false, null, null, false, 0, false, false,
                            null, List.of(), img.typeName());
                }
            }
            default:
                return new ImageInfo(file.toString(), fmt, Files.size(file), actual, 0, null, null, null, false,
                        null, null, false, 0, false, false, null, List.of(), null);
        }
    }

    /** The image and each image below it, top first. */
    public static List<ImageInfo> backingChain(Path file) throws IOException {
        List<ImageInfo> chain = new ArrayList<>();
        Path p = file;
        while (p != null) {
            if (chain.size() > MAX_CHAIN_DEPTH) {
                throw new DiskException(file + ": backing chain deeper than " + MAX_CHAIN_DEPTH + " (a loop?)");
            }
            ImageInfo i = info(p);
            chain.add(i);
            p = i.fullBackingFile() == null ? null : Path.of(i.fullBackingFile());
        }
        return chain;
    }

    // ---- snapshots ----

    private static Qcow2Image openQcow2(Path file, boolean writable, String what) throws IOException {
        if (probe(file) != ImageFormat.QCOW2) {
            throw new DiskException(file + ": " + what + " needs a qcow2 image");
        }
        return Qcow2Image.open(file, writable);
    }

    public static void snapshotCreate(Path file, String name) throws IOException {
        try (Qcow2Image img = openQcow2(file, true, "internal snapshots")) {
            Qcow2Snapshots.create(img, name);
        }
    }

    public static List<SnapshotInfo> snapshotList(Path file) throws IOException {
        try (Qcow2Image img = openQcow2(file, false, "internal snapshots")) {
            return Qcow2Snapshots.list(img);
        }
    }

    public static void snapshotApply(Path file, String name) throws IOException {
        try (Qcow2Image img = openQcow2(file, true, "internal snapshots")) {
            Qcow2Snapshots.apply(img, name);
        }
    }

    public static void snapshotDelete(Path file, String name) throws IOException {
        try (Qcow2Image img = openQcow2(file, true, "internal snapshots")) {
            Qcow2Snapshots.delete(img, name);
        }
    }

    /**
     * An external snapshot: {@code file} is renamed to {@code frozen} and a new differencing image over
     * it takes the name {@code file}, so whoever uses {@code file} keeps writing into the new layer.
     */
    public static void snapshotExternal(Path file, Path frozen) throws IOException {
        if (Files.exists(frozen)) {
            throw new DiskException(frozen + " already exists");
        }
        ImageFormat fmt = probe(file);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".overlay-" + ProcessHandle.current().pid());
        Path absFrozen = frozen.toAbsolutePath();
        Path dir = file.toAbsolutePath().getParent();
        String name = absFrozen.getParent().equals(dir) ? absFrozen.getFileName().toString() : absFrozen.toString();
        // Created over the file itself (which exists now), then pointed at the name it will have.
        create(tmp, CreateOptions.qcow2(sizeOf(file)).withBacking(file.toAbsolutePath().toString(), fmt));
        try (Qcow2Image img = Qcow2Image.open(tmp, true)) {
            img.setBacking(name, fmt.qemuName());
        }
        Files.move(file, frozen, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static long sizeOf(Path file) throws IOException {
        try (BlockDevice d = open(file, false)) {
            return d.size();
        }
    }

    // ---- whole-image operations ----

    /** Writes every range the top image allocates into its backing image, then empties the top. */
    public static void commit(Path file) throws IOException {
        try (BlockDevice top = openChain(file, null, true, true, 0)) {
            Copier.commit(top);
        }
    }

    /**
     * Initialises what a bulk copy's first mapping of its source needs (FFM's segment utilities:
     * about 6 ms in a fresh JVM), for a caller with a thread to spare before it converts.
     */
    public static void prepareCopies() {
        java.lang.foreign.MemorySegment.ofArray(new byte[8]).asByteBuffer();
    }

    /** Copies src (with its chain) into a new image dst; null formats mean probe / qcow2. */
    public static void convert(Path src, ImageFormat srcFormat, Path dst, ImageFormat dstFormat, boolean compress)
            throws IOException {
        convert(src, srcFormat, dst, CreateOptions.of(dstFormat == null ? ImageFormat.QCOW2 : dstFormat, 0), compress);
    }

    public static void convert(Path src, ImageFormat srcFormat, Path dst, CreateOptions dstOptions, boolean compress)
            throws IOException {
        if (compress && dstOptions.format() != ImageFormat.QCOW2) {
            throw new DiskException("compression (-c) needs a qcow2 destination");
        }
        int cluster = dstOptions.clusterSize();
        boolean clustered = dstOptions.format() == ImageFormat.QCOW2 && Integer.bitCount(cluster) == 1
                && cluster >= 512 && cluster <= (2 << 20); // else create says what is wrong
        try (BlockDevice in = open(src, srcFormat, false);
                Copier.Conversion copy = new Copier.Conversion(in, clustered ? cluster : Copier.SPARSE_GRANULE)) {
            // the source is read from here on, while its copy is made
            Path tmp = dst.resolveSibling("." + dst.getFileName() + ".convert-" + ProcessHandle.current().pid());
            CreateOptions o = new CreateOptions(dstOptions.format(), in.size(), null, null, dstOptions.clusterSize(),
                    dstOptions.compatV2(), dstOptions.lazyRefcounts(), dstOptions.refcountBits(),
                    dstOptions.compression(), dstOptions.vhdSubformat());
            create(tmp, o, false);
            try {
                try (BlockDevice out = open(tmp, dstOptions.format(), true)) {
                    // Like qemu-img convert (cache=unsafe by default): a new copy, not synced; the
                    // rename below still makes it appear whole or not at all to other processes.
                    if (out instanceof Qcow2Image q) {
                        q.skipSyncOnClose();
                    } else if (out instanceof VhdImage v) {
                        v.skipSyncOnClose();
                    }
                    copy.writeTo(out, compress);
                }
                Files.move(tmp, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    /**
     * Points file at a new backing image. Safe mode first copies into file every range where the old
     * and new chains differ (so the guest sees the same bytes); unsafe mode only rewrites the name.
     * A null newBacking makes the image standalone.
     */
    public static void rebase(Path file, String newBacking, ImageFormat newFormat, boolean unsafe) throws IOException {
        if (probe(file) != ImageFormat.QCOW2) {
            throw new DiskException(file + ": rebase needs a qcow2 image");
        }
        ImageFormat fmt = newFormat;
        if (newBacking != null && fmt == null) {
            fmt = probe(resolveBacking(file, newBacking));
        }
        if (!unsafe) {
            try (BlockDevice top = open(file, true)) {
                BlockDevice newBase = newBacking == null ? null : open(resolveBacking(file, newBacking), fmt, false);
                try {
                    Copier.rebase(top, newBase);
                } finally {
                    if (newBase != null) {
                        newBase.close();
                    }
                }
            }
        }
        try (Qcow2Image img = Qcow2Image.open(file, true)) {
            img.setBacking(newBacking, fmt == null ? null : fmt.qemuName());
        }
    }

    public static void resize(Path file, long newSize) throws IOException {
        ImageFormat fmt = probe(file);
        switch (fmt) {
            case QCOW2 -> {
                try (Qcow2Image img = Qcow2Image.open(file, true)) {
                    img.grow(newSize);
                }
            }
            case RAW -> {
                try (RawImage img = RawImage.open(file, true)) {
                    img.resize(newSize);
                }
            }
            default -> throw new DiskException(file + ": resizing " + fmt.vesselName() + " images is not supported");
        }
    }

    public enum Repair { NONE, LEAKS, ALL }

    public static CheckResult check(Path file, Repair repair) throws IOException {
        ImageFormat fmt = probe(file);
        if (fmt != ImageFormat.QCOW2) {
            if (fmt == ImageFormat.VHD) {
                try (VhdImage img = VhdImage.open(file, false)) {
                    return img.check();
                }
            }
            throw new DiskException(file + ": format '" + fmt.vesselName() + "' does not support checks");
        }
        try (Qcow2Image img = Qcow2Image.open(file, repair != Repair.NONE)) {
            return Qcow2Check.check(img, Qcow2Check.Repair.valueOf(repair.name()));
        }
    }

    /** The offset of the first byte that differs, or -1 when the images read the same. */
    public static long compare(Path a, Path b) throws IOException {
        try (BlockDevice da = open(a, false); BlockDevice db = open(b, false)) {
            return Copier.compare(da, db);
        }
    }

    /** The storage map of the whole image, merged into maximal extents. */
    public static List<Extent> map(Path file) throws IOException {
        try (BlockDevice d = open(file, false)) {
            return Copier.map(d);
        }
    }

    /** Parses sizes like 512, 64K, 10M, 2G, 1T (binary units; also KiB, MB...). */
    public static long parseSize(String s) throws DiskException {
        String t = s.trim();
        if (t.isEmpty()) {
            throw new DiskException("empty size");
        }
        if (t.length() < 19 && t.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(t);
        }
        if (t.startsWith("0x") || t.startsWith("0X")) {
            try {
                return Long.parseLong(t.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new DiskException("bad size '" + s + "'");
            }
        }
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        String num = t.substring(0, i);
        String unit = t.substring(i).trim().toUpperCase(java.util.Locale.ROOT);
        int shift;
        switch (unit) {
            case "", "B" -> shift = 0;
            case "K", "KB", "KIB" -> shift = 10;
            case "M", "MB", "MIB" -> shift = 20;
            case "G", "GB", "GIB" -> shift = 30;
            case "T", "TB", "TIB" -> shift = 40;
            case "P", "PB", "PIB" -> shift = 50;
            default -> throw new DiskException("bad size '" + s + "' (use a number with K, M, G or T)");
        }
        try {
            java.math.BigDecimal v = new java.math.BigDecimal(num).multiply(java.math.BigDecimal.valueOf(1L << shift));
            if (v.signum() < 0 || v.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new DiskException("size '" + s + "' out of range");
            }
            return v.longValue();
        } catch (NumberFormatException e) {
            throw new DiskException("bad size '" + s + "' (use a number with K, M, G or T)");
        }
    }
}
