package dev.vessel.engine.build;

import dev.vessel.engine.rootfs.OverlayRootfs;
import dev.vessel.os.AtomicFiles;
import dev.vessel.os.MountTable;
import dev.vessel.os.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The scratch space of one build step: a directory under the build's own, holding an overlay
 * of the step's parent layers with a fresh upper directory (what the step changes), or a
 * read-only overlay of a finished stage or image for COPY --from. Closing it unmounts and
 * deletes everything, so a failed step leaves nothing behind.
 */
final class Workspace implements AutoCloseable {
    private final Path dir;
    private final OverlayRootfs overlay;
    private final Path readOnlyTarget;

    private Workspace(Path dir, OverlayRootfs overlay, Path readOnlyTarget) {
        this.dir = dir;
        this.overlay = overlay;
        this.readOnlyTarget = readOnlyTarget;
    }

    /** A writable overlay of {@code lowers} (lowest first). */
    static Workspace writable(Path buildDir, List<Path> lowers, Path emptyLayer) throws IOException {
        Path dir = Files.createTempDirectory(buildDir, "step-");
        OverlayRootfs overlay = new OverlayRootfs(dir);
        Workspace workspace = new Workspace(dir, overlay, null);
        try {
            overlay.mount(lowers, emptyLayer);
        } catch (IOException | RuntimeException e) {
            workspace.close();
            throw e;
        }
        return workspace;
    }

    /** A read-only overlay of {@code lowers} (lowest first): a stage's or an image's files to copy from. */
    static Workspace readOnly(Path buildDir, List<Path> lowers) throws IOException {
        Path dir = Files.createTempDirectory(buildDir, "from-");
        Path target = Files.createDirectories(dir.resolve("rootfs"));
        Workspace workspace = new Workspace(dir, null, target);
        try {
            OverlayRootfs.mountReadOnly(lowers, dir.resolve("bottom"), target);
        } catch (IOException | RuntimeException e) {
            workspace.close();
            throw e;
        }
        return workspace;
    }

    Path dir() {
        return dir;
    }

    Path rootfs() {
        return overlay != null ? overlay.target() : readOnlyTarget;
    }

    Path upper() {
        return overlay.upper();
    }

    /** Unmounts the overlay, keeping the upper directory to diff. */
    void unmount() throws IOException {
        if (overlay != null) {
            overlay.unmount();
        } else if (MountTable.isMountPoint(readOnlyTarget)) {
            Mounts.unmount(readOnlyTarget, Mounts.MNT_DETACH);
        }
    }

    @Override
    public void close() throws IOException {
        unmount();
        AtomicFiles.deleteTree(dir);
    }
}
