package dev.vessel.engine.rootfs;

import dev.vessel.os.MountTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class OverlayRootfsTest {
    @TempDir
    Path dir;
    private OverlayRootfs overlay;

    @AfterEach
    void unmount() throws Exception {
        if (overlay != null) {
            overlay.unmount();
        }
    }

    @Test
    void upperLayerSeesLowerLayersInOrderAndKeepsWritesToItself() throws Exception {
        Path lowest = Files.createDirectories(dir.resolve("layer1"));
        Path higher = Files.createDirectories(dir.resolve("layer2"));
        Files.writeString(lowest.resolve("a"), "from layer 1");
        Files.writeString(lowest.resolve("b"), "from layer 1");
        Files.writeString(higher.resolve("b"), "from layer 2");
        overlay = new OverlayRootfs(dir.resolve("container"));
        overlay.mount(List.of(lowest, higher), dir.resolve("empty"));
        Path rootfs = overlay.target();
        assertThat(MountTable.isMountPoint(rootfs)).isTrue();
        assertThat(Files.readString(rootfs.resolve("a"))).isEqualTo("from layer 1");
        assertThat(Files.readString(rootfs.resolve("b"))).isEqualTo("from layer 2");
        Files.writeString(rootfs.resolve("c"), "new");
        Files.delete(rootfs.resolve("a"));
        assertThat(Files.readString(overlay.upper().resolve("c"))).isEqualTo("new");
        assertThat(Files.exists(lowest.resolve("a"))).as("lower layers stay read-only").isTrue();
        overlay.mount(List.of(lowest, higher), dir.resolve("empty"));
        overlay.unmount();
        assertThat(MountTable.isMountPoint(rootfs)).isFalse();
        overlay.unmount();
    }

    @Test
    void anImageWithoutLayersGetsAnEmptyLowerDirectory() throws Exception {
        overlay = new OverlayRootfs(dir.resolve("container"));
        overlay.mount(List.of(), dir.resolve("empty"));
        assertThat(Files.list(overlay.target()).count()).isZero();
    }
}
