package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BlockDevice.writeFrom (bytes moved file to file in the kernel) must leave exactly what write with
 * the same bytes leaves: random unaligned ranges over fresh, allocated, zero, compressed and
 * backing clusters, into qcow2 and raw; qemu-img must find the images clean and equal.
 */
class WriteFromTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"1, 65536", "2, 4096", "3, 1024"})
    void kernelCopiesAgreeWithBufferedWrites(long seed, int clusterSize) throws Exception {
        Qemu.require();
        int size = 8 << 20;
        Path source = dir.resolve("source.bin");
        Files.write(source, TestImages.pattern(size + 100_000, (int) seed));
        Path base = dir.resolve("base.qcow2");
        Disks.create(base, CreateOptions.qcow2(size).withClusterSize(clusterSize));
        TestImages.write(base, 0, TestImages.pattern(2 << 20, 9));
        // Compressed clusters (the file then ends inside a cluster), a zero cluster and data.
        Path a = dir.resolve("a.qcow2");
        Path b = dir.resolve("b.qcow2");
        Disks.create(a, CreateOptions.qcow2(size).withClusterSize(clusterSize)
                .withBacking(base.getFileName().toString(), ImageFormat.QCOW2));
        Qemu.io(a, "write -c -P 0x21 " + (4 << 20) + " " + (4 * clusterSize), "write -z 1M 64k",
                "write -P 0x22 3M 100k");
        Files.copy(a, b);
        Random r = new Random(seed);
        try (FileChannel src = FileChannel.open(source, StandardOpenOption.READ);
                BlockDevice da = Disks.open(a, true); BlockDevice db = Disks.open(b, true)) {
            for (int i = 0; i < 60; i++) {
                int len = 1 + r.nextInt(r.nextBoolean() ? 3 * clusterSize : 700_000);
                long off = (long) (r.nextDouble() * (size - len));
                long srcPos = r.nextInt(100_000) + (r.nextBoolean() ? off : 0);
                da.writeFrom(src, srcPos, off, len);
                ByteBuffer buf = ByteBuffer.allocate(len);
                src.read(buf, srcPos);
                db.write(off, buf.flip());
            }
        }
        assertThat(Qemu.run("qemu-img", "compare", a.toString(), b.toString()).status()).isZero();
        assertThat(Qemu.contents(a, dir)).isEqualTo(Qemu.contents(b, dir));
        Qemu.checkClean(a);
    }

    @Test
    void intoRawAndPastTheSourceEnd() throws Exception {
        Path source = dir.resolve("source.bin");
        byte[] bytes = TestImages.pattern(300_000, 4);
        Files.write(source, bytes);
        Path raw = dir.resolve("r.img");
        Disks.create(raw, CreateOptions.of(ImageFormat.RAW, 1 << 20));
        try (FileChannel src = FileChannel.open(source, StandardOpenOption.READ);
                BlockDevice d = Disks.open(raw, true)) {
            d.writeFrom(src, 1000, 5, 200_000);
            d.writeFrom(src, 250_000, 600_000, 100_000); // 50,000 bytes past the source's end: zeros
        }
        byte[] expect = new byte[1 << 20];
        System.arraycopy(bytes, 1000, expect, 5, 200_000);
        System.arraycopy(bytes, 250_000, expect, 600_000, 50_000);
        assertThat(Files.readAllBytes(raw)).isEqualTo(expect);
    }
}
