package dev.vessel.vm.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A minimal bootable root file system (static busybox and an /sbin/init printing the
 * marker) written into a raw ext4 image. The image is made by e2fsprogs' `mke2fs -d DIR`
 * for now; Vessel's own ext4 writer may replace it.
 */
public final class GuestRootfs {
    private GuestRootfs() {
    }

    /** Writes a raw ext4 image of sizeBytes holding busybox, /sbin/init and the extra files. */
    public static void writeExt4(Path image, long sizeBytes, Map<String, String> extraFiles, Path work)
            throws IOException {
        Path dir = Files.createTempDirectory(work, "rootfs");
        try {
            for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "etc", "mnt", "root")) {
                Files.createDirectories(dir.resolve(d));
            }
            Files.copy(Path.of("/bin/busybox"), dir.resolve("bin/busybox"));
            Files.createSymbolicLink(dir.resolve("bin/sh"), Path.of("busybox"));
            Path init = dir.resolve("sbin/init");
            Files.writeString(init, GuestInit.diskInit());
            Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Map.Entry<String, String> e : extraFiles.entrySet()) {
                Path file = dir.resolve(e.getKey().replaceFirst("^/+", ""));
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            }
            makeExt4(dir, image, sizeBytes);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs `mke2fs -t ext4 -d DIR` to fill a new raw image from a directory. */
    public static void makeExt4(Path dir, Path image, long sizeBytes) throws IOException {
        Process p = new ProcessBuilder("mke2fs", "-q", "-F", "-t", "ext4", "-d", dir.toString(),
                image.toString(), (sizeBytes / 1024) + "k").redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mke2fs failed for " + image + ": " + output);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running mke2fs");
        }
    }
}
