package dev.vessel.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.os.Errno;
import dev.vessel.os.ErrnoException;
import dev.vessel.os.MountTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helper's mount and umount modes, against the real kernel. */
class HostMountsTest {
    @TempDir
    Path tmp;

    @Test
    void mountsAnOverlayAndUnmountsIt() throws Exception {
        Bundles.assumeRoot();
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("from-lower"), "l");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path target = Files.createDirectories(tmp.resolve("merged"));
        HostMounts.mount("overlay", target, "overlay", 0,
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
        try {
            assertThat(MountTable.isMountPoint(target)).isTrue();
            assertThat(target.resolve("from-lower")).hasContent("l");
            Files.writeString(target.resolve("new"), "n");
            assertThat(upper.resolve("new")).hasContent("n");
        } finally {
            HostMounts.unmount(target, 2);
        }
        assertThat(MountTable.isMountPoint(target)).isFalse();
    }

    @Test
    void aMountPointIsFoundByItsWholeEscapedPathOnly() throws Exception {
        Bundles.assumeRoot();
        Path odd = Files.createDirectories(tmp.resolve("a dir\tw\u00efth\\odd names"));
        Path prefix = Files.createDirectories(tmp.resolve("a dir"));
        HostMounts.mount("tmpfs", odd, "tmpfs", 0, "size=1m");
        try {
            assertThat(MountTable.isMountPoint(odd)).isTrue();
            assertThat(MountTable.isMountPoint(prefix)).isFalse();
            assertThat(MountTable.isMountPoint(tmp)).isFalse();
            assertThat(MountTable.isMountPoint(odd.resolve("inside"))).isFalse();
        } finally {
            HostMounts.unmount(odd, 2);
        }
        assertThat(MountTable.isMountPoint(odd)).isFalse();
    }

    @Test
    void failuresCarryTheKernelsErrno() throws Exception {
        Bundles.assumeRoot();
        Path notMounted = Files.createDirectories(tmp.resolve("plain"));
        assertThatThrownBy(() -> HostMounts.unmount(notMounted, 2))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessage("umount " + notMounted + ": Invalid argument");
        assertThatThrownBy(() -> HostMounts.mount("overlay", tmp.resolve("missing"), "overlay", 0, "lowerdir=/nope"))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }
}
