package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BlockDevice.view: the file's own bytes where a range is one contiguous data run, else null. */
class ViewTest {
    @TempDir
    Path dir;

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] read(BlockDevice d, long off, int len) throws Exception {
        byte[] b = new byte[len];
        d.read(off, b, 0, len);
        return b;
    }

    @Test
    void qcow2ViewsAreContiguousDataRunsOfTheChain() throws Exception {
        Qemu.require();
        Path base = dir.resolve("base.qcow2");
        Path top = dir.resolve("top.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", base.toString(), "4M");
        Qemu.io(base, "write -P 0x11 0 1M");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", top.toString());
        // top: data at 1M (two clusters), a zero cluster at 2M, data at 3M written after 2M+64k.
        Qemu.io(top, "write -P 0x22 1M 128k", "write -z 2M 64k", "write -P 0x33 3M 64k", "write -P 0x44 1179648 64k");
        byte[] patterned = TestImages.pattern(65536, 7);
        try (BlockDevice d = Disks.open(top, true)) {
            d.write(3 << 20, patterned, 0, patterned.length);
            ByteBuffer v = d.view((1 << 20) + 100, 100_000);
            assertThat(v).isNotNull();
            assertThat(bytes(v)).isEqualTo(read(d, (1 << 20) + 100, 100_000));
            assertThat(v.isReadOnly()).isTrue();
            assertThat(bytes(d.view(3 << 20, 65536))).isEqualTo(patterned);
            assertThat(bytes(d.view(4096, 8192))).isEqualTo(read(d, 4096, 8192)); // from the base
            assertThat(d.view(2 << 20, 4096)).as("zero cluster").isNull();
            assertThat(d.view((1 << 20) + (128 << 10), 128 << 10)).as("data then unallocated").isNull();
            assertThat(d.view((1 << 20) - 4096, 8192)).as("base then top").isNull();
            assertThat(d.view(0, 0)).isNull();
        }
    }

    @Test
    void compressedClustersAndRawImages() throws Exception {
        Path raw = dir.resolve("r.img");
        Disks.create(raw, CreateOptions.of(ImageFormat.RAW, 1 << 20));
        byte[] data = TestImages.pattern(5000, 3);
        TestImages.write(raw, 1234, data);
        Path packed = dir.resolve("packed.qcow2");
        Disks.convert(raw, ImageFormat.RAW, packed, ImageFormat.QCOW2, true);
        try (BlockDevice r = Disks.open(raw, false); BlockDevice p = Disks.open(packed, false)) {
            assertThat(bytes(r.view(1234, 5000))).isEqualTo(data);
            assertThat(bytes(r.view(0, 1 << 20))).isEqualTo(Files.readAllBytes(raw));
            assertThat(p.view(1234, 5000)).as("compressed").isNull();
            assertThat(read(p, 1234, 5000)).isEqualTo(data);
        }
    }
}
