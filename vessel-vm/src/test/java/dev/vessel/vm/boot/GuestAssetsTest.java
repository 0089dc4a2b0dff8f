package dev.vessel.vm.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestAssetsTest {
    @TempDir
    Path dir;

    private static String hostRelease() {
        try {
            return GuestAssets.hostRelease(Path.of("/boot"), Path.of("/lib/modules"));
        } catch (Exception e) {
            assumeTrue(false, "no host kernel with modules: " + e.getMessage());
            return null;
        }
    }

    @Test
    void moduleLoadOrderPutsDependenciesFirstAndCrc32cBeforeExt4() throws Exception {
        String release = hostRelease();
        KernelModules modules = KernelModules.read(Path.of("/lib/modules", release));
        List<String> order = modules.loadOrder(GuestAssets.MODULES);
        assertThat(order).contains("virtio_blk", "virtio_pci", "ext4");
        assertThat(order.indexOf("virtio_ring")).isLessThan(order.indexOf("virtio_pci"));
        assertThat(order.indexOf("virtio")).isLessThan(order.indexOf("virtio_blk"));
        assertThat(order.indexOf("virtio_pci_modern_dev")).isLessThan(order.indexOf("virtio_pci"));
        assertThat(order.indexOf("jbd2")).isLessThan(order.indexOf("ext4"));
        assertThat(order.indexOf("crc32c_generic")).isBetween(0, order.indexOf("ext4"));
    }

    @Test
    void hostKernelUnpacksToAPvhBootableElfAndInitramfsHoldsBusyboxModulesAndInit() throws Exception {
        String release = hostRelease();
        assumeTrue(Files.isRegularFile(Path.of("/bin/busybox")), "no static busybox (busybox-static)");
        GuestAssets assets = GuestAssets.forHost(dir);
        assertThat(assets.release()).isEqualTo(release);
        assertThat(Vmlinux.hasPvhEntry(assets.kernel())).isTrue();

        Process p = new ProcessBuilder("cpio", "-t", "-F", assets.initramfs().toString()).start();
        String listing = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(listing.lines()).contains("init", "bin/busybox", "lib/modules/vessel/virtio_blk.ko",
                "lib/modules/vessel/ext4.ko", "dev/console");
        // Built once, then reused.
        long modified = Files.getLastModifiedTime(assets.initramfs()).toMillis();
        assertThat(Files.getLastModifiedTime(GuestAssets.forHost(dir).initramfs()).toMillis()).isEqualTo(modified);
    }
}
