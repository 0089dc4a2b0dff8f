package dev.vessel.vm.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The kernel and initramfs Vessel boots a VM with when none is given: the host's stock
 * kernel (/boot/vmlinuz-RELEASE, unpacked to a PVH-bootable vmlinux) and an initramfs Vessel
 * writes (static busybox, the virtio/ext4 modules of RELEASE in load order, {@link GuestInit}).
 * Built once per release into ROOT/vm-assets/RELEASE and reused.
 */
public final class GuestAssets {
    /** Bump when the initramfs contents change so cached copies are rebuilt. */
    private static final String VERSION = "v2";
    /** What a guest needs: virtio PCI and block, ext4 (crc32c first), the power button. */
    public static final List<String> MODULES = List.of(
            "virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci",
            "virtio_blk", "virtio_net", "crc32c_generic", "ext4", "button", "evdev");

    private final Path kernel;
    private final Path initramfs;
    private final String release;

    private GuestAssets(String release, Path kernel, Path initramfs) {
        this.release = release;
        this.kernel = kernel;
        this.initramfs = initramfs;
    }

    public Path kernel() {
        return kernel;
    }

    public Path initramfs() {
        return initramfs;
    }

    public String release() {
        return release;
    }

    /** The newest host kernel that has its modules installed, as RELEASE (e.g. 6.1.0-56-amd64). */
    public static String hostRelease(Path boot, Path modules) throws IOException {
        if (!Files.isDirectory(boot)) {
            throw new IOException("no " + boot + ": install a kernel (Debian: linux-image-amd64) or pass --kernel");
        }
        try (Stream<Path> files = Files.list(boot)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("vmlinuz-"))
                    .map(n -> n.substring("vmlinuz-".length()))
                    .filter(r -> Files.isDirectory(modules.resolve(r)))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no /boot/vmlinuz-* with modules in " + modules
                            + ": install a kernel (Debian: linux-image-amd64) or pass --kernel"));
        }
    }

    /** The cached assets for the host kernel, building them under cacheRoot if needed. */
    public static GuestAssets forHost(Path cacheRoot) throws IOException {
        Path boot = Path.of("/boot");
        Path modules = Path.of("/lib/modules");
        String release = hostRelease(boot, modules);
        return build(cacheRoot, release, boot.resolve("vmlinuz-" + release), modules.resolve(release),
                Path.of("/bin/busybox"));
    }

    public static GuestAssets build(Path cacheRoot, String release, Path bzImage, Path moduleDir, Path busybox)
            throws IOException {
        Path dir = cacheRoot.resolve(release + "-" + VERSION);
        Path kernel = dir.resolve("vmlinux");
        Path initramfs = dir.resolve("initramfs.cpio");
        if (Files.isRegularFile(dir.resolve("bzImage"))) {
            kernel = dir.resolve("bzImage");
        }
        if (Files.isRegularFile(kernel) && Files.isRegularFile(initramfs)) {
            return new GuestAssets(release, kernel, initramfs);
        }
        Files.createDirectories(dir);
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            if (!Files.isRegularFile(kernel) && !Files.isRegularFile(dir.resolve("bzImage"))) {
                Vmlinux.extract(bzImage, kernel);
                if (!Vmlinux.hasPvhEntry(kernel)) {
                    // A kernel built without CONFIG_PVH cannot boot as an ELF: boot the bzImage itself.
                    Files.delete(kernel);
                    Files.copy(bzImage, dir.resolve("bzImage"));
                }
            }
            if (!Files.isRegularFile(initramfs)) {
                writeInitramfs(initramfs, KernelModules.read(moduleDir), busybox);
            }
        }
        return new GuestAssets(release, Files.isRegularFile(kernel) ? kernel : dir.resolve("bzImage"), initramfs);
    }

    static void writeInitramfs(Path target, KernelModules modules, Path busybox) throws IOException {
        if (!Files.isRegularFile(busybox)) {
            throw new IOException("no static busybox at " + busybox + " (Debian: busybox-static)");
        }
        List<String> order = modules.loadOrder(MODULES);
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (java.io.FileOutputStream file = new java.io.FileOutputStream(temp.toFile());
                NewcCpioWriter cpio = new NewcCpioWriter(new java.io.BufferedOutputStream(file, 1 << 16))) {
            for (String d : List.of("bin", "dev", "etc", "lib", "lib/modules", "lib/modules/vessel", "mnt",
                    "newroot", "proc", "sys", "tmp", "run", "sbin", "usr", "usr/bin", "usr/sbin")) {
                cpio.directory(d, 0755);
            }
            cpio.characterDevice("dev/console", 0600, 5, 1);
            cpio.characterDevice("dev/null", 0666, 1, 3);
            cpio.file("bin/busybox", 0755, Files.readAllBytes(busybox));
            cpio.symlink("bin/sh", "busybox");
            List<String> loaded = new ArrayList<>();
            for (String name : order) {
                cpio.file("lib/modules/vessel/" + name + ".ko", 0644, moduleBytes(modules.file(name)));
                loaded.add(name);
            }
            cpio.file("init", 0755, GuestInit.script(loaded).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            cpio.finish();
            file.getChannel().force(true);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // Modules may ship compressed; busybox insmod loads plain ELF, so decompress here.
    private static byte[] moduleBytes(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".ko")) {
            return Files.readAllBytes(file);
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = name.endsWith(".xz") ? new XZInputStream(raw)
                        : name.endsWith(".gz") ? new GZIPInputStream(raw) : null) {
            if (in == null) {
                throw new IOException("cannot decompress kernel module " + file + " (Vessel reads .ko, .ko.xz, .ko.gz)");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
