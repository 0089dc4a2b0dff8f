package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** VHD fixed, dynamic and differencing images, against qemu-img's vpc driver. */
class VhdTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"fixed", "dynamic"})
    void readsWhatQemuWrites(String sub) throws Exception {
        Qemu.require();
        Path p = dir.resolve("q.vhd");
        Qemu.img("create", "-q", "-f", "vpc", "-o", "subformat=" + sub, p.toString(), "20M");
        Qemu.io(p, "write -P 0x11 0 100k", "write -P 0x22 5M 3M", "write -P 0x33 12345 512");
        assertThat(Disks.probe(p)).isEqualTo(ImageFormat.VHD);
        try (BlockDevice d = Disks.open(p, false)) {
            assertThat(d.size()).isEqualTo(Long.parseLong(Qemu.img("info", "-f", "vpc", "--output", "json", p.toString())
                    .replaceAll("(?s).*\"virtual-size\": (\\d+).*", "$1")));
        }
        assertThat(TestImages.read(p)).isEqualTo(Qemu.contents(p, "vpc", dir));
        // And writes into it that qemu reads back.
        byte[] data = TestImages.pattern(3 << 20, 5);
        TestImages.write(p, 1 << 20, data);
        assertThat(TestImages.read(p)).isEqualTo(Qemu.contents(p, "vpc", dir));
        Qemu.io(p, "read -P 0x11 0 12345");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed", "dynamic"})
    void qemuReadsWhatVesselWrites(String sub) throws Exception {
        Qemu.require();
        Path p = dir.resolve("v.vhd");
        Disks.create(p, CreateOptions.of(ImageFormat.VHD, 10 << 20).withVhdSubformat(sub));
        byte[] model = new byte[10 << 20];
        Random r = new Random(3);
        try (BlockDevice d = Disks.open(p, true)) {
            for (int i = 0; i < 20; i++) {
                int len = 1 + r.nextInt(700_000);
                int off = r.nextInt(model.length - len);
                byte[] b = TestImages.pattern(len, i);
                d.write(off, b, 0, len);
                System.arraycopy(b, 0, model, off, len);
            }
        }
        assertThat(Qemu.img("info", "-f", "vpc", p.toString())).contains("file format: vpc").contains("(10485760 bytes)");
        assertThat(Qemu.contents(p, "vpc", dir)).isEqualTo(model);
    }

    @Test
    void differencingVhdOverAParent() throws Exception {
        Path parent = dir.resolve("parent.vhd");
        Disks.create(parent, CreateOptions.of(ImageFormat.VHD, 8 << 20));
        byte[] model = TestImages.pattern(8 << 20, 1);
        TestImages.write(parent, 0, model);
        Path child = dir.resolve("child.vhd");
        Disks.create(child, CreateOptions.of(ImageFormat.VHD, -1).withBacking("parent.vhd", ImageFormat.VHD));
        ImageInfo info = Disks.info(child);
        assertThat(info.vhdType()).isEqualTo("differencing");
        assertThat(info.fullBackingFile()).isEqualTo(parent.toAbsolutePath().toString());
        // Writes of odd sizes at odd offsets: partial sectors come from the parent.
        Random r = new Random(2);
        try (BlockDevice d = Disks.open(child, true)) {
            for (int i = 0; i < 30; i++) {
                int len = 1 + r.nextInt(100_000);
                int off = r.nextInt(model.length - len);
                byte[] b = TestImages.pattern(len, 100 + i);
                d.write(off, b, 0, len);
                System.arraycopy(b, 0, model, off, len);
            }
        }
        assertThat(TestImages.read(child)).isEqualTo(model);
        assertThat(TestImages.read(parent)).isNotEqualTo(model);
        // The parent is found again after the pair moves (relative locator).
        Path moved = Files.createDirectory(dir.resolve("moved"));
        Files.move(parent, moved.resolve("parent.vhd"));
        Files.move(child, moved.resolve("child.vhd"));
        assertThat(TestImages.read(moved.resolve("child.vhd"))).isEqualTo(model);
        // Converted to qcow2, qemu reads the same bytes.
        if (Qemu.available("qemu-img")) {
            Path q = dir.resolve("flat.qcow2");
            Disks.convert(moved.resolve("child.vhd"), null, q, ImageFormat.QCOW2, false);
            Qemu.checkClean(q);
            assertThat(Qemu.contents(q, dir)).isEqualTo(model);
        }
    }

    @Test
    void convertsBetweenVhdAndQcow2() throws Exception {
        Qemu.require();
        Path q = dir.resolve("a.qcow2");
        Disks.createQcow2(q, 6 << 20);
        TestImages.write(q, 3000, TestImages.pattern(2 << 20, 9));
        Path v = dir.resolve("a.vhd");
        Disks.convert(q, null, v, ImageFormat.VHD, false);
        assertThat(Qemu.run("qemu-img", "compare", "-f", "qcow2", "-F", "vpc", q.toString(), v.toString()).status()).isZero();
        Path back = dir.resolve("b.qcow2");
        Disks.convert(v, ImageFormat.parse("vpc"), back, ImageFormat.QCOW2, false);
        Qemu.checkClean(back);
        assertThat(Disks.compare(q, back)).isEqualTo(-1);
    }
}
