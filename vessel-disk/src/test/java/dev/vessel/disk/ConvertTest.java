package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.disk.qcow2.Qcow2Image;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convert copies every byte and leaves zeros unallocated, as qemu-img convert does: holes and
 * written zero blocks of the source allocate nothing in the copy, data at any alignment does.
 */
class ConvertTest {
    @TempDir
    Path dir;

    /** A raw image: data at odd places, a hole, explicitly written zeros, data across a chunk edge. */
    private Path source() throws IOException {
        Path raw = dir.resolve("src.raw");
        Disks.create(raw, CreateOptions.of(ImageFormat.RAW, 12 << 20));
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.seek(1000);
            f.write(TestImages.pattern(70_000, 1));
            f.seek(3 << 20);
            f.write(new byte[1 << 20]); // zeros on disk, not a hole
            f.seek((4 << 20) - 5000);
            f.write(TestImages.pattern(10_000, 2)); // straddles the 2 MiB chunk edge at 4 MiB
            f.seek((6 << 20) + 4096);
            f.write(TestImages.pattern(1, 3)); // one byte in an otherwise zero cluster
            f.seek((12 << 20) - 100);
            f.write(TestImages.pattern(100, 4)); // the very end
        }
        return raw;
    }

    /** The guest ranges qemu-img map reports as holding data. */
    private static List<String> dataRanges(Path image) throws Exception {
        String json = Qemu.img("map", "--output=json", image.toString());
        return json.lines().filter(l -> l.contains("\"data\": true"))
                .map(l -> l.replaceAll(".*\"start\": (\\d+), \"length\": (\\d+).*", "$1+$2"))
                .collect(Collectors.toList());
    }

    @Test
    void rawToQcow2AndBackAllocateWhatQemuImgDoes() throws Exception {
        Qemu.require();
        Path raw = source();
        Path ours = dir.resolve("ours.qcow2");
        assertThat(toQcow2AsQemuImg(raw, ours)).isNotEmpty();

        assertThat(Files.readAllBytes(toRawAsQemuImg(ours, dir.resolve("back.raw")))).isEqualTo(Files.readAllBytes(raw));
    }

    /** Converts image to the raw file ours, and with qemu-img beside it: the same bytes and holes. */
    private Path toRawAsQemuImg(Path image, Path ours) throws Exception {
        Path theirs = ours.resolveSibling("theirs-" + ours.getFileName());
        Disks.convert(image, null, ours, ImageFormat.RAW, false);
        Qemu.img("convert", "-O", "raw", image.toString(), theirs.toString());
        assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(theirs));
        assertThat(dataRanges(ours)).isEqualTo(dataRanges(theirs));
        return ours;
    }

    @Test
    void aFailingReadFailsTheConvert() throws Exception {
        Path raw = source();
        assertThatThrownBy(() -> convertThrough(raw, in -> new ForwardingDevice(in) {
            @Override
            public void read(long offset, ByteBuffer dst) throws IOException {
                if (offset >= 4 << 20) {
                    throw new DiskException("read failed at " + offset);
                }
                super.read(offset, dst);
            }
        })).isInstanceOf(DiskException.class).hasMessageContaining("read failed at");
    }

    /** Converts raw, opened and seen through wrap, into a new raw file of its size; returns that file. */
    private Path convertThrough(Path raw, java.util.function.UnaryOperator<BlockDevice> wrap) throws IOException {
        Path out = dir.resolve("out.raw");
        Disks.create(out, CreateOptions.of(ImageFormat.RAW, Files.size(raw)));
        try (BlockDevice in = Disks.open(raw, false); BlockDevice o = Disks.open(out, true)) {
            convert(wrap.apply(in), o);
        }
        return out;
    }

    /**
     * A chain whose data lies in every layer, in clusters stored out of guest order, one of them
     * compressed (read, not mapped), converts to the bytes and allocation qemu-img makes; and no
     * file of the chain stays mapped afterwards.
     */
    @Test
    void aChainConvertsAsQemuImgDoesAndStaysUnmapped() throws Exception {
        Qemu.require();
        Path base = dir.resolve("base.raw");
        Disks.create(base, CreateOptions.of(ImageFormat.RAW, 24 << 20));
        TestImages.write(base, 100, TestImages.pattern(3 << 20, 11));
        Path mid = dir.resolve("mid.qcow2");
        Qemu.img("create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", mid.toString());
        Qemu.io(mid, "write -P 0x22 16M 4M", "write -P 0x33 8M 4M", "write -z 9M 64k"); // host order 16M before 8M
        Path packed = dir.resolve("packed.qcow2");
        Files.write(dir.resolve("small.raw"), TestImages.pattern(1 << 20, 12));
        Qemu.img("convert", "-c", "-f", "raw", "-O", "qcow2", dir.resolve("small.raw").toString(), packed.toString());
        Path top = dir.resolve("top.qcow2");
        Qemu.img("create", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", top.toString());
        Qemu.io(top, "write -P 0x44 1M 128k", "write -P 0 20M 2M");

        toRawAsQemuImg(top, dir.resolve("ours.raw"));
        Path unpacked = toRawAsQemuImg(packed, dir.resolve("unpacked.raw"));
        assertThat(Files.readAllBytes(unpacked)).isEqualTo(Files.readAllBytes(dir.resolve("small.raw")));

        awaitNoReader();
        assertThat(Files.readAllLines(Path.of("/proc/self/maps"))).noneMatch(l -> l.contains(dir.toString()));
    }

    /**
     * A raw source cut short while its mapped bytes wait to be written fails the convert with a
     * clear error (the kernel refuses to copy from the vanished pages), and unmaps it.
     */
    @Test
    void aSourceCutShortDuringTheCopyFailsIt() throws Exception {
        Path raw = dots(600L << 20);
        Path out = dir.resolve("out.qcow2");
        Disks.create(out, CreateOptions.of(ImageFormat.QCOW2, 600L << 20));
        try (BlockDevice in = Disks.open(raw, false); BlockDevice o = Disks.open(out, true)) {
            Copier.Conversion copy = new Copier.Conversion(in, 64 << 10);
            awaitWaiting(copy.chunks.thread);
            try (FileChannel f = FileChannel.open(raw, StandardOpenOption.WRITE)) {
                f.truncate(0);
            }
            assertThatThrownBy(() -> copy.writeTo(o, false))
                    .isInstanceOf(DiskException.class).hasMessageContaining("changed while being copied");
            copy.close();
        }
        awaitNoReader();
        assertThat(Files.readAllLines(Path.of("/proc/self/maps"))).noneMatch(l -> l.contains(raw.toString()));
    }

    /** A source whose file cannot be mapped (some file systems refuse mmap) is read instead. */
    @Test
    void aSourceThatCannotBeMappedIsRead() throws Exception {
        Path raw = source();
        Path out = convertThrough(raw, in -> new ForwardingDevice(in) {
            @Override
            public java.lang.foreign.MemorySegment mapHost(long start, long maxLength, java.lang.foreign.Arena arena)
                    throws IOException {
                throw new IOException("no mmap on this file system");
            }
        });
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(raw));
    }

    /**
     * A raw file of mostly holes: past the first 128 MiB of zeros read, the copy asks the file
     * system where the data is (SEEK_DATA) and reads no more holes; the copy is the same.
     */
    @Test
    void aMostlyHoleRawFileCopiesWhatQemuImgDoes() throws Exception {
        Qemu.require();
        Path raw = dir.resolve("big.raw");
        Disks.create(raw, CreateOptions.of(ImageFormat.RAW, 1L << 30));
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.seek(0);
            f.write(TestImages.pattern(200_000, 5));
            f.seek(300L << 20);
            f.write(TestImages.pattern(3 << 20, 6));
            f.seek((1L << 30) - 70_000);
            f.write(TestImages.pattern(70_000, 7));
        }
        assertThat(toQcow2AsQemuImg(raw, dir.resolve("big.qcow2"))).hasSize(3);
    }

    /**
     * Converts raw to the qcow2 ours, and with qemu-img beside it: ours must be clean, hold raw's
     * bytes and allocate what qemu-img's copy does. Returns ours' data ranges.
     */
    private List<String> toQcow2AsQemuImg(Path raw, Path ours) throws Exception {
        Path theirs = ours.resolveSibling("theirs-" + ours.getFileName());
        Disks.convert(raw, ImageFormat.RAW, ours, ImageFormat.QCOW2, false);
        Qemu.img("convert", "-f", "raw", "-O", "qcow2", raw.toString(), theirs.toString());
        Qemu.checkClean(ours);
        assertThat(Qemu.run("qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw.toString(), ours.toString())
                .status()).isZero();
        List<String> ranges = dataRanges(ours);
        assertThat(ranges).isEqualTo(dataRanges(theirs));
        return ranges;
    }

    /** A raw file's status is its holes and data, as qemu-img map reports them. */
    @Test
    void aRawFileShowsItsHoles() throws Exception {
        Path raw = source();
        try (BlockDevice in = Disks.open(raw, false)) {
            assertThat(in.statusNow(0, 12 << 20).data()).as("no hole lookup asked for yet").isTrue();
            assertThat(in.statusNow(0, 12 << 20).length()).isEqualTo(12 << 20);
            Extent first = in.status(0, 12 << 20);
            assertThat(first.data()).isTrue();
            Extent hole = in.status(first.end(), 12 << 20);
            assertThat(hole.data()).isFalse();
            assertThat(hole.zero()).isTrue();
            assertThat(hole.end()).isLessThanOrEqualTo(3 << 20);
            assertThat(in.statusNow(first.end(), 12 << 20)).isEqualTo(hole);
        }
    }

    /** A qcow2 over a raw file passes statusNow down: below it, only status waits for the holes. */
    @Test
    void aQcow2OverARawFileAsksItsHolesOnlyForStatus() throws Exception {
        Path raw = source();
        Path top = dir.resolve("top.qcow2");
        Disks.create(top, CreateOptions.of(ImageFormat.QCOW2, 12 << 20).withBacking("src.raw", ImageFormat.RAW));
        try (BlockDevice d = Disks.open(top, false)) {
            Extent quick = d.statusNow(2 << 20, 1 << 20);
            assertThat(quick.depth()).isEqualTo(1);
            assertThat(quick.data()).as("no hole lookup asked for yet").isTrue();
            Extent exact = d.status(2 << 20, 1 << 20);
            assertThat(exact.depth()).isEqualTo(1);
            assertThat(exact.data()).isFalse();
            assertThat(exact.zero()).isTrue();
        }
    }

    /** The hole map describes the file the image opened: a file renamed over its path is not it. */
    @Test
    void aRawFileReplacedAfterItsOpenIsAllData() throws Exception {
        Path raw = dir.resolve("dense.raw");
        Files.write(raw, TestImages.pattern(4 << 20, 8));
        Path other = source();
        try (BlockDevice in = Disks.open(raw, false)) {
            Files.move(other, raw, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Extent e = in.status(0, 4 << 20);
            assertThat(e.data()).isTrue();
            assertThat(e.length()).isEqualTo(4 << 20);
        }
    }

    /** A convert whose writes fail stops its reader too (a raw source, mapped). */
    @Test
    void aFailingWriteFailsTheConvertAndStopsTheReader() throws Exception {
        Path raw = source();
        Path out = dir.resolve("out.qcow2");
        Disks.create(out, CreateOptions.of(ImageFormat.QCOW2, 12 << 20));
        try (BlockDevice in = Disks.open(raw, false); BlockDevice o = Disks.open(out, false)) {
            assertThatThrownBy(() -> convert(in, o))
                    .isInstanceOf(DiskException.class).hasMessageContaining("read-only");
        }
        awaitNoReader();
    }

    /**
     * A reader that ran ahead as far as it may, and waits for room, stops when closed: a raw file
     * whose every granule starts with data (600 MiB, sparse), of which nobody takes a chunk. The
     * windows it mapped meanwhile stay mapped while a chunk holds them.
     */
    @Test
    void aReaderWaitingForRoomStopsWhenClosed() throws Exception {
        Path raw = dots(600L << 20);
        try (BlockDevice in = Disks.open(raw, false)) {
            Copier.ReadAhead chunks = new Copier.ReadAhead(in, 2 << 20, 64 << 10);
            awaitWaiting(chunks.thread);
            Copier.ReadAhead.Chunk first = chunks.next();
            assertThat(first.position()).isZero();
            assertThat(first.run()).as("mapped").isNotNull();
            assertThat(first.data().getLong(64 << 10)).isEqualTo(DOT);
            chunks.close();
            chunks.thread.join(10_000);
            assertThat(chunks.thread.isAlive()).isFalse();
        }
    }

    private static final long DOT = 0x0102030405060708L;

    /** A sparse raw file with eight bytes of data at the start of every 64 KiB. */
    private Path dots(long size) throws IOException {
        Path raw = dir.resolve("dots.raw");
        Disks.create(raw, CreateOptions.of(ImageFormat.RAW, size));
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            for (long g = 0; g < size; g += 64 << 10) {
                f.seek(g);
                f.writeLong(DOT);
            }
        }
        return raw;
    }

    private static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
    }

    /** Copies one open device into another, as Disks.convert does once it has made the copy. */
    private static void convert(BlockDevice in, BlockDevice out) throws IOException {
        int granule = out instanceof Qcow2Image q ? q.clusterSize() : Copier.SPARSE_GRANULE;
        try (Copier.Conversion copy = new Copier.Conversion(in, granule)) {
            copy.writeTo(out, false);
        }
    }

    private static void awaitNoReader() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (readers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(readers()).isZero();
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("vessel-disk-read-ahead") && t.isAlive()).count();
    }
}
