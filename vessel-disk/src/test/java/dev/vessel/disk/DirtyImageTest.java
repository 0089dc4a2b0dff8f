package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lazy refcounts and the dirty bit; feature bits we cannot honour are refused. */
class DirtyImageTest {
    @TempDir
    Path dir;

    @Test
    void dirtyImageIsRepairedWhenOpenedForWriting() throws Exception {
        Qemu.require();
        Path p = dir.resolve("lazy.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on", p.toString(), "8M");
        Qemu.io(p, "write -P 0x77 0 1M");
        // What a crash with lazy refcounts leaves: the dirty bit set and refcounts not yet written.
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.allocate(104);
            ch.read(h, 0);
            ch.write(ByteBuffer.allocate(8).putLong(0, h.getLong(72) | 1), 72);
            ByteBuffer e = ByteBuffer.allocate(8);
            ch.read(e, h.getLong(48));
            long block = e.getLong(0);
            ByteBuffer zeros = ByteBuffer.allocate(2 * 8);
            ch.write(zeros, block + 2 * 6);
        }
        assertThat(Disks.info(p).dirty()).isTrue();
        assertThat(Qemu.run("qemu-img", "check", p.toString()).out()).contains("ERROR");
        try (BlockDevice d = Disks.open(p, true)) {
            d.write(2 << 20, new byte[] {1, 2, 3}, 0, 3);
        }
        assertThat(Disks.info(p).dirty()).isFalse();
        Qemu.checkClean(p);
        Qemu.io(p, "read -P 0x77 0 1M");
    }

    @Test
    void unknownIncompatibleFeaturesAreRefused() throws Exception {
        Path p = dir.resolve("future.qcow2");
        Disks.createQcow2(p, 1 << 20);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).putLong(0, 1L << 40), 72);
        }
        assertThatThrownBy(() -> Disks.open(p, false)).isInstanceOf(DiskException.class)
                .hasMessageContaining("unsupported qcow2 feature bits");
    }

    @Test
    void encryptedImagesAreRefused() throws Exception {
        Qemu.require();
        Path p = dir.resolve("enc.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "--object", "secret,id=sec0,data=123456", "-o",
                "encrypt.format=luks,encrypt.key-secret=sec0", p.toString(), "1M");
        assertThatThrownBy(() -> Disks.open(p, false)).isInstanceOf(DiskException.class)
                .hasMessageContaining("encrypted");
    }

    @Test
    void externalDataFilesAreRead() throws Exception {
        Qemu.require();
        Path p = dir.resolve("ext.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-o", "data_file=" + dir.resolve("ext.raw"), p.toString(), "4M");
        Qemu.io(p, "write -P 0x5e 100k 1M");
        assertThat(TestImages.read(p)).isEqualTo(Qemu.contents(p, dir));
        assertThatThrownBy(() -> Disks.open(p, true)).isInstanceOf(DiskException.class)
                .hasMessageContaining("external data file");
    }
}
