package dev.vessel.engine.rootfs;

import dev.vessel.os.Errno;
import dev.vessel.os.ErrnoException;
import dev.vessel.os.MountTable;
import dev.vessel.os.Mounts;
import dev.vessel.runtime.HostMounts;
import dev.vessel.runtime.OciRuntime;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's root file system: the image's unpacked layers as read-only overlayfs lower
 * directories and the container's own upper directory on top, mounted at the bundle's rootfs.
 */
public final class OverlayRootfs {
    /** mount(2) takes at most one page of options. */
    private static final int MAX_OPTIONS = 4095;

    private final Path upper;
    private final Path work;
    private final Path target;

    /** @param containerDir holds {@code upper/}, {@code work/} and {@code bundle/rootfs} */
    public OverlayRootfs(Path containerDir) {
        this.upper = containerDir.resolve("upper");
        this.work = containerDir.resolve("work");
        this.target = containerDir.resolve("bundle").resolve("rootfs");
    }

    public Path upper() {
        return upper;
    }

    public Path target() {
        return target;
    }

    /**
     * Mounts the overlay unless it is mounted already.
     *
     * @param lowers the image's layer directories, lowest first (overlayfs wants the topmost first)
     */
    public void mount(List<Path> lowers, Path emptyLayer) throws IOException {
        OciRuntime.RootfsMount mount = prepare(lowers, emptyLayer);
        if (!MountTable.isMountPoint(target)) {
            HostMounts.mount(mount.source(), target, mount.type(), mount.flags(), mount.data());
        }
    }

    /**
     * Makes the upper, work and mount point directories, and says what mounts the overlay there:
     * for the runtime to mount when it creates the container ({@link OciRuntime.CreateOptions#rootfsMount}).
     */
    public OciRuntime.RootfsMount prepare(List<Path> lowers, Path emptyLayer) throws IOException {
        Files.createDirectories(upper);
        Files.createDirectories(work);
        Files.createDirectories(target);
        List<String> lowerDirs = new ArrayList<>();
        for (int i = lowers.size() - 1; i >= 0; i--) {
            lowerDirs.add(escape(lowers.get(i).toString()));
        }
        if (lowerDirs.isEmpty()) {
            Files.createDirectories(emptyLayer);
            lowerDirs.add(escape(emptyLayer.toString()));
        }
        String options = "lowerdir=" + String.join(":", lowerDirs) + ",upperdir=" + escape(upper.toString())
                + ",workdir=" + escape(work.toString());
        if (options.length() > MAX_OPTIONS) {
            throw new IOException("the image has too many layers to mount (" + lowers.size()
                    + "): the overlay options exceed one page");
        }
        return new OciRuntime.RootfsMount("overlay", "overlay", 0, options);
    }

    /** True while the writable layer holds nothing: the container has not changed the image's files. */
    public boolean unchanged() throws IOException {
        if (!Files.isDirectory(upper)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(upper)) {
            return !entries.iterator().hasNext();
        }
    }

    /**
     * Mounts {@code lowers} (lowest first) read-only at {@code target}, with no upper directory:
     * a finished stack of layers to read from. {@code bottom} is an empty directory put beneath
     * them, since overlayfs needs two lower directories when there is no upper one.
     */
    public static void mountReadOnly(List<Path> lowers, Path bottom, Path target) throws IOException {
        List<String> lowerDirs = new ArrayList<>();
        for (int i = lowers.size() - 1; i >= 0; i--) {
            lowerDirs.add(escape(lowers.get(i).toString()));
        }
        Files.createDirectories(bottom);
        if (lowerDirs.isEmpty()) {
            Path second = Files.createDirectories(bottom.resolveSibling(bottom.getFileName() + "-2"));
            lowerDirs.add(escape(second.toString()));
        }
        lowerDirs.add(escape(bottom.toString()));
        String options = "lowerdir=" + String.join(":", lowerDirs);
        if (options.length() > MAX_OPTIONS) {
            throw new IOException("too many layers to mount (" + lowers.size() + "): the overlay options exceed one page");
        }
        Mounts.mount("overlay", target, "overlay", Mounts.MS_RDONLY, options);
    }

    /** Unmounts the overlay; nothing happens when it is not mounted. */
    public void unmount() throws IOException {
        try {
            if (MountTable.isMountPoint(target)) {
                HostMounts.unmount(target, Mounts.MNT_DETACH);
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
    }

    /** overlayfs separates lower directories with ':' and options with ','. */
    private static String escape(String path) {
        if (path.contains(",")) {
            throw new IllegalArgumentException("a path with a comma cannot be an overlay layer: " + path);
        }
        return path.replace("\\", "\\\\").replace(":", "\\:");
    }
}
