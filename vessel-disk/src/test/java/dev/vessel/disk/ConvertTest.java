package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path theirs = dir.resolve("theirs.qcow2");
        Disks.convert(raw, ImageFormat.RAW, ours, ImageFormat.QCOW2, false);
        Qemu.img("convert", "-f", "raw", "-O", "qcow2", raw.toString(), theirs.toString());
        Qemu.checkClean(ours);
        assertThat(Qemu.run("qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw.toString(), ours.toString())
                .status()).isZero();
        assertThat(dataRanges(ours)).isEqualTo(dataRanges(theirs)).isNotEmpty();

        Path back = dir.resolve("back.raw");
        Path theirsBack = dir.resolve("theirs-back.raw");
        Disks.convert(ours, null, back, ImageFormat.RAW, false);
        Qemu.img("convert", "-O", "raw", ours.toString(), theirsBack.toString());
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(raw));
        assertThat(dataRanges(back)).isEqualTo(dataRanges(theirsBack));
    }

    @Test
    void aFailingReadFailsTheConvert() throws Exception {
        Path raw = source();
        Path out = dir.resolve("out.raw");
        Disks.create(out, CreateOptions.of(ImageFormat.RAW, 12 << 20));
        try (BlockDevice in = Disks.open(raw, false); BlockDevice o = Disks.open(out, true)) {
            BlockDevice failing = new ForwardingDevice(in) {
                @Override
                public void read(long offset, ByteBuffer dst) throws IOException {
                    if (offset >= 4 << 20) {
                        throw new DiskException("read failed at " + offset);
                    }
                    super.read(offset, dst);
                }
            };
            assertThatThrownBy(() -> Copier.convert(failing, o, false, true))
                    .isInstanceOf(DiskException.class).hasMessageContaining("read failed at");
        }
    }
}
