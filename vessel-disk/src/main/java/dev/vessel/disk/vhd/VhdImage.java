package dev.vessel.disk.vhd;

import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.CheckResult;
import dev.vessel.disk.DiskException;
import dev.vessel.disk.Extent;
import dev.vessel.disk.ImageFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A VHD image (Virtual PC / Hyper-V): fixed (data then a 512-byte footer), dynamic (footer copy, sparse
 * header, block allocation table, blocks of a sector bitmap plus data, footer) or differencing (a
 * dynamic image whose sector bitmaps say which sectors it holds; the rest come from the parent named
 * by its parent locators).
 */
public final class VhdImage implements BlockDevice {
    static final int TYPE_FIXED = 2, TYPE_DYNAMIC = 3, TYPE_DIFF = 4;
    private static final long VHD_EPOCH = 946684800L;
    private static final long MAX_BAT_ENTRIES = 1L << 24;
    /** Creator apps whose images give the size by CHS geometry rather than current_size (as QEMU decides). */
    private static final Set<String> CHS_CREATORS = Set.of("vpc ", "qemu");

    private final Path path;
    private final FileChannel ch;
    private final boolean writable;
    private final byte[] footer;
    private final int type;
    private final long size;
    private int blockSize;
    private int bitmapBytes;
    private long batOffset;
    private int[] bat;
    private long footerPos;
    private Path parentPath;
    private BlockDevice backing;
    private boolean closed;
    private boolean syncOnClose = true;

    /** Close without fsync (as qemu-img convert's default "unsafe" cache mode); for new copies only. */
    public void skipSyncOnClose() {
        syncOnClose = false;
    }

    private VhdImage(Path path, FileChannel ch, boolean writable) throws IOException {
        this.path = path;
        this.ch = ch;
        this.writable = writable;
        long fileSize = ch.size();
        if (fileSize < 512) {
            throw new DiskException(path + ": too small to be a VHD image");
        }
        ByteBuffer f = ByteBuffer.allocate(512);
        fileRead(fileSize - 512, f);
        footerPos = fileSize - 512;
        if (!cookie(f, 0, "conectix")) {
            // Images whose size is not a multiple of 512 may carry a 511-byte footer at the end.
            f.clear();
            fileRead(0, f);
            if (!cookie(f, 0, "conectix")) {
                throw new DiskException(path + ": not a VHD image (no footer)");
            }
            footerPos = fileSize;
        }
        footer = f.array();
        if (checksum(footer, 64) != f.getInt(64)) {
            throw new DiskException(path + ": VHD footer checksum mismatch (image corrupt)");
        }
        type = f.getInt(60);
        if (type != TYPE_FIXED && type != TYPE_DYNAMIC && type != TYPE_DIFF) {
            throw new DiskException(path + ": unsupported VHD disk type " + type);
        }
        String creator = new String(footer, 28, 4, StandardCharsets.ISO_8859_1);
        long current = f.getLong(48);
        int cyl = f.getShort(56) & 0xffff;
        int heads = f.get(58) & 0xff;
        int spt = f.get(59) & 0xff;
        long chs = (long) cyl * heads * spt * 512;
        boolean maxChs = cyl == 65535 && heads == 16 && spt == 255;
        long sz = CHS_CREATORS.contains(creator) && !maxChs ? chs : current;
        if (sz < 0 || sz > (1L << 44)) {
            throw new DiskException(path + ": bad VHD size " + sz);
        }
        if (type == TYPE_FIXED) {
            if (sz > footerPos) {
                throw new DiskException(path + ": VHD size " + sz + " larger than the file (truncated?)");
            }
        } else {
            readDynamicHeader(f.getLong(16), fileSize, sz);
        }
        this.size = sz;
    }

    private void readDynamicHeader(long off, long fileSize, long sz) throws IOException {
        if (off < 512 || off > fileSize - 1024) {
            throw new DiskException(path + ": VHD dynamic header offset " + off + " is outside the file");
        }
        ByteBuffer d = ByteBuffer.allocate(1024);
        fileRead(off, d);
        if (!cookie(d, 0, "cxsparse")) {
            throw new DiskException(path + ": VHD dynamic header missing");
        }
        if (checksum(d.array(), 36) != d.getInt(36)) {
            throw new DiskException(path + ": VHD dynamic header checksum mismatch (image corrupt)");
        }
        batOffset = d.getLong(16);
        long entries = d.getInt(28) & 0xffffffffL;
        blockSize = d.getInt(32);
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1 || blockSize > (256 << 20)) {
            throw new DiskException(path + ": bad VHD block size " + blockSize);
        }
        if (entries > MAX_BAT_ENTRIES || entries * blockSize < sz) {
            throw new DiskException(path + ": bad VHD block table size " + entries);
        }
        if (batOffset < 512 || batOffset + entries * 4 > fileSize) {
            throw new DiskException(path + ": VHD block table is outside the file");
        }
        bitmapBytes = ((blockSize / 512 / 8) + 511) & ~511;
        ByteBuffer b = ByteBuffer.allocate((int) entries * 4);
        fileRead(batOffset, b);
        bat = new int[(int) entries];
        for (int i = 0; i < entries; i++) {
            bat[i] = b.getInt(i * 4);
        }
        if (type == TYPE_DIFF) {
            parentPath = findParent(d);
        }
    }

    private Path findParent(ByteBuffer d) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        List<Path> candidates = new ArrayList<>();
        for (String want : new String[] {"W2ru", "W2ku", "MacX"}) {
            for (int i = 0; i < 8; i++) {
                int p = 576 + i * 24;
                String code = new String(d.array(), p, 4, StandardCharsets.ISO_8859_1);
                if (!code.equals(want)) {
                    continue;
                }
                int len = d.getInt(p + 8);
                long off = d.getLong(p + 16);
                if (len <= 0 || len > 4096 || off < 0 || off + len > ch.size()) {
                    continue;
                }
                ByteBuffer data = ByteBuffer.allocate(len);
                fileRead(off, data);
                String s = code.equals("MacX") ? new String(data.array(), StandardCharsets.UTF_8)
                        : new String(data.array(), StandardCharsets.UTF_16LE);
                s = s.replace("\u0000", "");
                if (code.equals("MacX")) {
                    s = s.startsWith("file://") ? s.substring(7) : s;
                } else {
                    s = s.replace('\\', '/');
                    if (s.startsWith("./")) {
                        s = s.substring(2);
                    }
                }
                Path cand = Path.of(s);
                candidates.add(cand.isAbsolute() ? cand : dir.resolve(cand).normalize());
            }
        }
        String uname = new String(d.array(), 64, 512, StandardCharsets.UTF_16BE).replace("\u0000", "");
        if (!uname.isEmpty()) {
            candidates.add(dir.resolve(uname.replace('\\', '/')).normalize());
        }
        for (Path c : candidates) {
            if (Files.exists(c)) {
                return c;
            }
        }
        throw new DiskException(path + ": parent of differencing VHD not found"
                + (candidates.isEmpty() ? "" : " (looked for " + candidates.get(0) + ")"));
    }

    private static boolean cookie(ByteBuffer b, int at, String c) {
        return new String(b.array(), at, 8, StandardCharsets.ISO_8859_1).equals(c);
    }

    static int checksum(byte[] b, int checksumAt) {
        int sum = 0;
        for (int i = 0; i < b.length; i++) {
            if (i >= checksumAt && i < checksumAt + 4) {
                continue;
            }
            sum += b[i] & 0xff;
        }
        return ~sum;
    }

    public static boolean looksLikeVhd(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8);
        ch.read(b, 0);
        if (new String(b.array(), StandardCharsets.ISO_8859_1).equals("conectix")) {
            return true;
        }
        if (ch.size() < 512) {
            return false;
        }
        b.clear();
        ch.read(b, ch.size() - 512);
        return new String(b.array(), StandardCharsets.ISO_8859_1).equals("conectix");
    }

    public static VhdImage open(Path path, boolean writable) throws IOException {
        FileChannel ch = writable ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new VhdImage(path, ch, writable);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void fileRead(long pos, ByteBuffer dst) throws IOException {
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

    private void fileWrite(long pos, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            pos += ch.write(src, pos);
        }
    }

    public Path parentPath() {
        return parentPath;
    }

    public void attachBacking(BlockDevice b) {
        this.backing = b;
    }

    public int blockSize() {
        return type == TYPE_FIXED ? 0 : blockSize;
    }

    public String typeName() {
        return switch (type) {
            case TYPE_FIXED -> "fixed";
            case TYPE_DYNAMIC -> "dynamic";
            default -> "differencing";
        };
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.VHD;
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

    private void check(long offset, long len) throws DiskException {
        if (closed) {
            throw new DiskException(path + ": image is closed");
        }
        if (offset < 0 || len < 0 || offset > size || len > size - offset) {
            throw new DiskException(path + ": access at " + offset + "+" + len + " is past the end of the disk ("
                    + size + " bytes)");
        }
    }

    private long blockData(int bi) throws DiskException {
        long sector = bat[bi] & 0xffffffffL;
        return sector * 512 + bitmapBytes;
    }

    private byte[] bitmapCache;
    private int bitmapCacheBlock = -1;

    private byte[] bitmap(int bi) throws IOException {
        if (bitmapCacheBlock != bi) {
            if (bitmapCache == null) {
                bitmapCache = new byte[bitmapBytes];
            }
            fileRead((bat[bi] & 0xffffffffL) * 512, ByteBuffer.wrap(bitmapCache));
            bitmapCacheBlock = bi;
        }
        return bitmapCache;
    }

    private static boolean bit(byte[] bm, int sector) {
        return (bm[sector >>> 3] & (0x80 >>> (sector & 7))) != 0;
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        check(offset, dst.remaining());
        if (type == TYPE_FIXED) {
            fileRead(offset, dst);
            return;
        }
        while (dst.hasRemaining()) {
            int bi = (int) (offset / blockSize);
            int in = (int) (offset % blockSize);
            int n = Math.min(dst.remaining(), blockSize - in);
            int lim = dst.limit();
            if (bat[bi] == -1) {
                dst.limit(dst.position() + n);
                readParent(offset, dst);
            } else if (type == TYPE_DYNAMIC) {
                dst.limit(dst.position() + n);
                fileRead(blockData(bi) + in, dst);
            } else {
                byte[] bm = bitmap(bi);
                int sector = in / 512;
                boolean mine = bit(bm, sector);
                int len = Math.min(n, 512 - (in % 512));
                while (len < n && bit(bm, (in + len) / 512) == mine) {
                    len += Math.min(512, n - len);
                }
                n = len;
                dst.limit(dst.position() + n);
                if (mine) {
                    fileRead(blockData(bi) + in, dst);
                } else {
                    readParent(offset, dst);
                }
            }
            dst.limit(lim);
            offset += n;
        }
    }

    private void readParent(long offset, ByteBuffer dst) throws IOException {
        if (backing == null || offset >= backing.size()) {
            while (dst.hasRemaining()) {
                dst.put((byte) 0);
            }
            return;
        }
        int lim = dst.limit();
        long avail = backing.size() - offset;
        if (avail < dst.remaining()) {
            dst.limit(dst.position() + (int) avail);
            backing.read(offset, dst);
            dst.limit(lim);
            while (dst.hasRemaining()) {
                dst.put((byte) 0);
            }
        } else {
            backing.read(offset, dst);
        }
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src) throws IOException {
        check(offset, src.remaining());
        if (!writable) {
            throw new DiskException(path + ": image is open read-only");
        }
        if (type == TYPE_FIXED) {
            fileWrite(offset, src);
            return;
        }
        while (src.hasRemaining()) {
            int bi = (int) (offset / blockSize);
            int in = (int) (offset % blockSize);
            int n = Math.min(src.remaining(), blockSize - in);
            if (bat[bi] == -1) {
                allocateBlock(bi);
            }
            if (type == TYPE_DIFF) {
                writeDiff(bi, offset, in, src.slice(src.position(), n));
            } else {
                fileWrite(blockData(bi) + in, src.slice(src.position(), n));
            }
            src.position(src.position() + n);
            offset += n;
        }
    }

    /** Differencing write: whole sectors only, pulling the rest of a partial sector from the parent. */
    private void writeDiff(int bi, long offset, int in, ByteBuffer data) throws IOException {
        byte[] bm = bitmap(bi);
        int first = in / 512;
        int last = (in + data.remaining() - 1) / 512;
        long sectorStart = offset - (in % 512);
        int span = (last - first + 1) * 512;
        ByteBuffer buf = ByteBuffer.allocate(span);
        for (int s : new int[] {first, last}) {
            if (!bit(bm, s)) {
                long guest = sectorStart + (long) (s - first) * 512;
                ByteBuffer part = buf.slice((s - first) * 512, 512);
                long avail = Math.min(512, size - guest);
                if (avail > 0) {
                    ByteBuffer p = part.slice(0, (int) avail);
                    readParent(guest, p);
                }
            } else {
                fileRead(blockData(bi) + (long) s * 512, buf.slice((s - first) * 512, 512));
            }
        }
        buf.put(in % 512, data, data.position(), data.remaining());
        fileWrite(blockData(bi) + (long) first * 512, buf);
        boolean changed = false;
        for (int s = first; s <= last; s++) {
            if (!bit(bm, s)) {
                bm[s >>> 3] |= (byte) (0x80 >>> (s & 7));
                changed = true;
            }
        }
        if (changed) {
            int from = first >>> 3;
            int to = (last >>> 3) + 1;
            fileWrite((bat[bi] & 0xffffffffL) * 512 + from, ByteBuffer.wrap(bm, from, to - from));
        }
    }

    /** Appends a block (bitmap, sparse data) where the footer was, moves the footer, then links it. */
    private void allocateBlock(int bi) throws IOException {
        long at = (footerPos + 511) & ~511L;
        byte[] bm = new byte[bitmapBytes];
        if (type == TYPE_DYNAMIC) {
            java.util.Arrays.fill(bm, (byte) 0xff);
        }
        fileWrite(at, ByteBuffer.wrap(bm));
        long newFooter = at + bitmapBytes + blockSize;
        fileWrite(newFooter, ByteBuffer.wrap(footer));
        footerPos = newFooter;
        bat[bi] = (int) (at / 512);
        fileWrite(batOffset + bi * 4L, ByteBuffer.allocate(4).putInt(0, bat[bi]));
        bitmapCacheBlock = -1;
    }

    @Override
    public synchronized void discard(long offset, long length) throws IOException {
        ByteBuffer z = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        while (length > 0) {
            int n = (int) Math.min(length, z.capacity());
            z.clear().limit(n);
            // Unallocated blocks of a dynamic image already read as zeros.
            if (type == TYPE_DYNAMIC && bat[(int) (offset / blockSize)] == -1
                    && offset / blockSize == (offset + n - 1) / blockSize) {
                offset += n;
                length -= n;
                continue;
            }
            write(offset, z);
            offset += n;
            length -= n;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (writable) {
            ch.force(true);
        }
    }

    @Override
    public synchronized Extent status(long offset, long maxLength) throws IOException {
        long max = Math.min(maxLength, size - offset);
        if (max <= 0) {
            return new Extent(offset, 0, false, false, true, 0, -1, null);
        }
        if (type == TYPE_FIXED) {
            return new Extent(offset, max, true, true, false, 0, offset, path.toString());
        }
        int bi = (int) (offset / blockSize);
        long len = Math.min(max, blockSize - offset % blockSize);
        if (bat[bi] == -1) {
            if (backing == null) {
                return new Extent(offset, len, false, false, true, 0, -1, null);
            }
            return offset >= backing.size() ? new Extent(offset, len, false, false, true, 1, -1, null)
                    : backing.status(offset, Math.min(len, backing.size() - offset)).deeper();
        }
        return new Extent(offset, len, true, true, false, 0, blockData(bi) + offset % blockSize, path.toString());
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (writable && syncOnClose) {
                ch.force(true);
            }
        } finally {
            ch.close();
            if (backing != null) {
                backing.close();
            }
        }
    }

    /** Checks the block table: entries inside the file and not overlapping. */
    public CheckResult check() throws IOException {
        List<String> msgs = new ArrayList<>();
        long errors = 0;
        if (type != TYPE_FIXED) {
            java.util.TreeMap<Long, Integer> starts = new java.util.TreeMap<>();
            for (int i = 0; i < bat.length; i++) {
                if (bat[i] == -1) {
                    continue;
                }
                long s = (bat[i] & 0xffffffffL) * 512;
                if (s + bitmapBytes > footerPos) {
                    errors++;
                    msgs.add("ERROR block " + i + " at offset " + s + " is past the end of the image");
                }
                Integer prev = starts.put(s, i);
                if (prev != null) {
                    errors++;
                    msgs.add("ERROR blocks " + prev + " and " + i + " share offset " + s);
                }
            }
        }
        return new CheckResult(errors, 0, 0, 0, 0, 0, 0, ch.size(), msgs);
    }

    // ---- creation ----

    /** Creates a fixed, dynamic or (with parent) differencing VHD. */
    public static void create(Path file, long size, String subformat, String parent) throws IOException {
        create(file, size, subformat, parent, true);
    }

    /** As above; without sync the new file is not fsynced (for a scratch copy that is never synced either). */
    public static void create(Path file, long size, String subformat, String parent, boolean sync)
            throws IOException {
        String sub = subformat == null ? "dynamic" : subformat;
        if (parent != null) {
            sub = "differencing";
        }
        if (size <= 0 || size > 2040L << 30) {
            throw new DiskException("VHD size must be between 1 byte and 2040 GiB, not " + size);
        }
        size = (size + 511) & ~511L;
        int type = switch (sub) {
            case "fixed" -> TYPE_FIXED;
            case "dynamic" -> TYPE_DYNAMIC;
            case "differencing" -> TYPE_DIFF;
            default -> throw new DiskException("unknown VHD subformat '" + sub + "' (use fixed or dynamic)");
        };
        byte[] parentFooter = null;
        Path parentPath = null;
        if (type == TYPE_DIFF) {
            parentPath = dev.vessel.disk.Disks.resolveBacking(file, parent);
            try (VhdImage p = open(parentPath, false)) {
                parentFooter = p.footer.clone();
                size = p.size;
            } catch (DiskException e) {
                throw new DiskException("the parent of a differencing VHD must be a VHD image: " + e.getMessage());
            }
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            byte[] footer = footer(size, type);
            if (type == TYPE_FIXED) {
                ch.write(ByteBuffer.wrap(footer), size);
            } else {
                int blockSize = 2 << 20;
                long entries = (size + blockSize - 1) / blockSize;
                long batOffset = 1536;
                long batBytes = (entries * 4 + 511) & ~511L;
                ByteBuffer batBuf = ByteBuffer.allocate((int) batBytes);
                for (int i = 0; i < batBytes / 4; i++) {
                    batBuf.putInt(i * 4, -1);
                }
                long next = batOffset + batBytes;
                ByteBuffer dyn = ByteBuffer.allocate(1024);
                dyn.put(0, "cxsparse".getBytes(StandardCharsets.ISO_8859_1));
                dyn.putLong(8, -1L).putLong(16, batOffset).putInt(24, 0x00010000).putInt(28, (int) entries)
                        .putInt(32, blockSize);
                List<ByteBuffer> locatorData = new ArrayList<>();
                List<Long> locatorOffsets = new ArrayList<>();
                if (type == TYPE_DIFF) {
                    dyn.put(40, parentFooter, 68, 16);
                    dyn.putInt(56, ByteBuffer.wrap(parentFooter).getInt(24));
                    String pname = parentPath.getFileName().toString();
                    byte[] un = pname.getBytes(StandardCharsets.UTF_16BE);
                    dyn.put(64, un, 0, Math.min(un.length, 510));
                    Path abs = parentPath.toAbsolutePath();
                    Path dir = file.toAbsolutePath().getParent();
                    String rel = "." + "\\" + dir.relativize(abs).toString().replace('/', '\\');
                    String[][] locs = {{"W2ru", rel}, {"W2ku", abs.toString()}};
                    for (int i = 0; i < locs.length; i++) {
                        byte[] data = locs[i][1].getBytes(StandardCharsets.UTF_16LE);
                        long space = (data.length + 511) & ~511L;
                        int p = 576 + i * 24;
                        dyn.put(p, locs[i][0].getBytes(StandardCharsets.ISO_8859_1));
                        dyn.putInt(p + 4, (int) (space / 512)).putInt(p + 8, data.length).putLong(p + 16, next);
                        locatorData.add(ByteBuffer.wrap(data));
                        locatorOffsets.add(next);
                        next += space;
                    }
                }
                dyn.putInt(36, checksum(dyn.array(), 36));
                ch.write(ByteBuffer.wrap(footer), 0);
                ch.write(dyn, 512);
                ch.write(batBuf, batOffset);
                for (int i = 0; i < locatorData.size(); i++) {
                    ch.write(locatorData.get(i), locatorOffsets.get(i));
                }
                ch.write(ByteBuffer.wrap(footer), next);
            }
            if (sync) {
                ch.force(true);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] footer(long size, int type) {
        ByteBuffer f = ByteBuffer.allocate(512);
        f.put(0, "conectix".getBytes(StandardCharsets.ISO_8859_1));
        f.putInt(8, 2).putInt(12, 0x00010000).putLong(16, type == TYPE_FIXED ? -1L : 512L);
        f.putInt(24, (int) (System.currentTimeMillis() / 1000 - VHD_EPOCH));
        // "qem2": readers (QEMU among them) then take current_size as the exact size.
        f.put(28, "qem2".getBytes(StandardCharsets.ISO_8859_1));
        f.putInt(32, 0x00010000);
        f.put(36, "Wi2k".getBytes(StandardCharsets.ISO_8859_1));
        f.putLong(40, size).putLong(48, size);
        long[] chs = geometry(size);
        f.putShort(56, (short) chs[0]).put(58, (byte) chs[1]).put(59, (byte) chs[2]);
        f.putInt(60, type);
        UUID u = UUID.randomUUID();
        f.putLong(68, u.getMostSignificantBits()).putLong(76, u.getLeastSignificantBits());
        f.putInt(64, checksum(f.array(), 64));
        return f.array();
    }

    /** Cylinders, heads, sectors per track, as the VHD specification computes them. */
    static long[] geometry(long size) {
        long total = size / 512;
        if (total > 65535L * 16 * 255) {
            total = 65535L * 16 * 255;
        }
        long spt;
        long heads;
        long cth;
        if (total >= 65535L * 16 * 63) {
            spt = 255;
            heads = 16;
            cth = total / spt;
        } else {
            spt = 17;
            cth = total / spt;
            heads = (cth + 1023) / 1024;
            if (heads < 4) {
                heads = 4;
            }
            if (cth >= heads * 1024 || heads > 16) {
                spt = 31;
                heads = 16;
                cth = total / spt;
            }
            if (cth >= heads * 1024) {
                spt = 63;
                heads = 16;
                cth = total / spt;
            }
        }
        return new long[] {cth / heads, heads, spt};
    }
}
