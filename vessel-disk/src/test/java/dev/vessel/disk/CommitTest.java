package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commit merges the top into its base and empties the top, which then loses its free tail. */
class CommitTest {
    @TempDir
    Path dir;

    @Test
    void committedTopIsEmptyAndShortAndBaseHoldsItsData() throws Exception {
        Qemu.require();
        Path base = dir.resolve("base.qcow2");
        Path top = dir.resolve("top.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", base.toString(), "64M");
        Qemu.io(base, "write -P 0x11 0 8M");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", top.toString());
        Qemu.io(top, "write -P 0x22 4M 8M", "write -z 20M 64k", "write -P 0x33 30M 4k");
        byte[] before = Qemu.contents(top, dir);
        long grown = Files.size(top);

        Disks.commit(top);

        assertThat(Qemu.contents(base, dir)).isEqualTo(before);
        assertThat(Qemu.contents(top, dir)).isEqualTo(before);
        assertThat(Disks.map(top)).allMatch(e -> e.depth() > 0 || !e.present());
        assertThat(Files.size(top)).isLessThanOrEqualTo(4 * 65536L).isLessThan(grown);
        Qemu.checkClean(base);
        Qemu.checkClean(top);
        Qemu.io(top, "write -P 0x44 0 1M");
        Qemu.io(top, "read -P 0x44 0 1M", "read -P 0x22 4M 1M");
        Qemu.checkClean(top);
    }

    @Test
    void clustersASnapshotStillHoldsAreKept() throws Exception {
        Qemu.require();
        Path base = dir.resolve("base.qcow2");
        Path top = dir.resolve("top.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", base.toString(), "16M");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", top.toString());
        Qemu.io(top, "write -P 0x55 1M 2M");
        Qemu.img("snapshot", "-c", "kept", top.toString());

        Disks.commit(top);

        Qemu.checkClean(top);
        Qemu.io(base, "read -P 0x55 1M 2M");
        Qemu.img("snapshot", "-a", "kept", top.toString());
        Qemu.io(base, "write -P 0x66 1M 2M");
        Qemu.io(top, "read -P 0x55 1M 2M");
        Qemu.checkClean(top);
    }

    @Test
    void commitIntoARawBase() throws Exception {
        Qemu.require();
        Path base = dir.resolve("base.raw");
        Path top = dir.resolve("top.qcow2");
        Qemu.img("create", "-q", "-f", "raw", base.toString(), "32M");
        Qemu.ok("qemu-io", "-f", "raw", "-c", "write -P 0x11 0 4M", base.toString());
        Qemu.img("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "raw", top.toString());
        Qemu.io(top, "write -P 0x22 1M 10M", "write -c -P 0x23 20M 128k", "write -z 2M 64k",
                "write -P 0x24 30M 1000");
        byte[] before = Qemu.contents(top, dir);

        Disks.commit(top);

        assertThat(Files.readAllBytes(base)).isEqualTo(before);
        assertThat(Qemu.contents(top, dir)).isEqualTo(before);
        Qemu.checkClean(top);
    }
}
