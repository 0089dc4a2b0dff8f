package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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

    @Test
    void aSourceShrinkingUnderAMappedCopyIsAClearError() throws Exception {
        Path src = dir.resolve("src.img");
        Path dst = dir.resolve("dst.img");
        Disks.create(src, CreateOptions.of(ImageFormat.RAW, 1 << 20));
        Disks.create(dst, CreateOptions.of(ImageFormat.RAW, 1 << 20));
        TestImages.write(src, 0, TestImages.pattern(1 << 20, 5));
        try (BlockDevice in = Disks.open(src, false); BlockDevice out = Disks.open(dst, true)) {
            BlockDevice shrinking = new Forwarding(in) {
                @Override
                public ByteBuffer view(long offset, int length) throws java.io.IOException {
                    ByteBuffer v = in.view(offset, length);
                    try (FileChannel ch = FileChannel.open(src, StandardOpenOption.WRITE)) {
                        ch.truncate(0); // another process cuts the file after the view was lent
                    }
                    return v;
                }
            };
            assertThatThrownBy(() -> Copier.convert(shrinking, out, false, true))
                    .isInstanceOf(DiskException.class).hasMessageContaining("changed while being copied");
        }
    }

    /** A device that forwards everything to another one. */
    private static class Forwarding implements BlockDevice {
        private final BlockDevice d;

        Forwarding(BlockDevice d) {
            this.d = d;
        }

        public long size() {
            return d.size();
        }

        public ImageFormat format() {
            return d.format();
        }

        public Path path() {
            return d.path();
        }

        public boolean writable() {
            return d.writable();
        }

        public void read(long offset, ByteBuffer dst) throws java.io.IOException {
            d.read(offset, dst);
        }

        public void write(long offset, ByteBuffer src) throws java.io.IOException {
            d.write(offset, src);
        }

        public void discard(long offset, long length) throws java.io.IOException {
            d.discard(offset, length);
        }

        public void flush() throws java.io.IOException {
            d.flush();
        }

        public Extent status(long offset, long maxLength) throws java.io.IOException {
            return d.status(offset, maxLength);
        }

        public BlockDevice backing() {
            return d.backing();
        }

        public void close() {
        }
    }
}
