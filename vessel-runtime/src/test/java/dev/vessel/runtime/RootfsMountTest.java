package dev.vessel.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.os.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A root file system handed to the runtime unmounted (CreateOptions.rootfsMount): an overlay over a busybox tree. */
class RootfsMountTest {
    private static final String S = Long.toHexString(ProcessHandle.current().pid());

    @TempDir
    Path tmp;
    private Path bundle;
    private Path rootfs;
    private Path upper;
    private OciRuntime runtime;
    private OciRuntime.RootfsMount overlay;

    @BeforeEach
    void overlayBundle() throws IOException {
        Bundles.assumeRoot();
        Path image = Bundles.create(Files.createDirectories(tmp.resolve("image")));
        Files.writeString(image.resolve("rootfs/from-lower"), "lower\n");
        bundle = Files.createDirectories(tmp.resolve("bundle"));
        var config = Bundles.config(image);
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("root")).put("readonly", false);
        Bundles.write(bundle, config);
        rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        overlay = new OciRuntime.RootfsMount("overlay", "overlay", 0,
                "lowerdir=" + image.resolve("rootfs") + ",upperdir=" + upper + ",workdir=" + work);
        runtime = new OciRuntime(tmp.resolve("state"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (runtime != null) {
            for (var state : runtime.list()) {
                runtime.delete(state.id(), true);
            }
        }
        if (rootfs != null && MountTable.isMountPoint(rootfs)) {
            HostMounts.unmount(rootfs, 2);
        }
    }

    @Test
    void runMountsTheRootFileSystemForTheContainerAndUnmountsItAfter() throws IOException {
        Bundles.args(bundle, "sh", "-c", "cat /from-lower; echo written > /new");
        Path out = tmp.resolve("out.txt");
        ProcessBuilder.Redirect file = ProcessBuilder.Redirect.appendTo(out.toFile());
        int status = runtime.run("rootfs-run" + S, bundle, new OciRuntime.CreateOptions(null, null,
                new ProcessBuilder.Redirect[] {null, file, file}).withRootfsMount(overlay));
        assertThat(status).isZero();
        assertThat(out).hasContent("lower");
        assertThat(upper.resolve("new")).hasContent("written");
        assertThat(MountTable.isMountPoint(rootfs)).as("unmounted after the run").isFalse();
    }

    @Test
    void createLeavesTheMountForItsCallerAndAMountedRootIsUsedAsItIs() throws IOException {
        Bundles.args(bundle, "true");
        runtime.create("rootfs-create" + S, bundle, OciRuntime.CreateOptions.defaults().withRootfsMount(overlay));
        assertThat(MountTable.isMountPoint(rootfs)).isTrue();
        assertThat(rootfs.resolve("from-lower")).hasContent("lower");
        runtime.delete("rootfs-create" + S, true);
        assertThat(MountTable.isMountPoint(rootfs)).as("the caller unmounts after create").isTrue();
        // mounted already: the runtime mounts nothing more, and a run leaves that mount alone
        Bundles.args(bundle, "test", "-f", "/from-lower");
        assertThat(runtime.run("rootfs-again" + S, bundle, OciRuntime.CreateOptions.defaults().withRootfsMount(overlay)))
                .isZero();
        assertThat(MountTable.isMountPoint(rootfs)).isTrue();
        long mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> MountTable.unescape(line.split(" ")[4]).equals(rootfs.toString())).count();
        assertThat(mounts).as("one mount at the root, not two").isEqualTo(1);
    }

    @Test
    void aRootFileSystemThatCannotBeMountedFailsTheCreateAndLeavesNothing() throws IOException {
        Bundles.args(bundle, "true");
        OciRuntime.RootfsMount broken = new OciRuntime.RootfsMount("overlay", "overlay", 0,
                "lowerdir=" + tmp.resolve("no-such-layer") + ",upperdir=" + upper + ",workdir=" + tmp.resolve("work"));
        assertThatThrownBy(() -> runtime.run("rootfs-bad" + S, bundle,
                OciRuntime.CreateOptions.defaults().withRootfsMount(broken)))
                .isInstanceOf(OciException.class)
                .hasMessageContaining("mounting the root file system at " + rootfs)
                .hasMessageNotContaining("\n");
        assertThat(runtime.list()).isEmpty();
        assertThat(MountTable.isMountPoint(rootfs)).isFalse();
    }
}
