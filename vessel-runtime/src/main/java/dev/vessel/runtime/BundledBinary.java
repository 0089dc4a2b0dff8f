package dev.vessel.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;

/**
 * A native binary that ships in this jar (the helper, the static init), installed once under a
 * directory as NAME-SIZE-CRC32 and replaced atomically. The jar's directory records each entry's
 * size and CRC, so a command finds the installed copy without inflating and checksumming it; the
 * jar is opened directly, since a class loader's resource lookup opens every jar before it on the
 * class path.
 */
final class BundledBinary {
    private final String name;
    private final Path dir;
    private final String dirPermissions;
    private final String filePermissions;
    private Path installed;

    /** name: the resource beside this class; the permissions in ls's rwx form. */
    BundledBinary(String name, Path dir, String dirPermissions, String filePermissions) {
        this.name = name;
        this.dir = dir;
        this.dirPermissions = dirPermissions;
        this.filePermissions = filePermissions;
    }

    /** The installed binary's path, written from this jar when it is not there yet. */
    synchronized Path path() throws IOException {
        if (installed == null) {
            installed = install();
        }
        return installed;
    }

    private Path install() throws IOException {
        Path source = codeSource();
        if (source != null && Files.isRegularFile(source)) {
            try (JarFile jar = new JarFile(source.toFile())) {
                JarEntry entry = jar.getJarEntry(BundledBinary.class.getPackageName().replace('.', '/') + "/" + name);
                if (entry == null) {
                    throw missing(source.toString());
                }
                Path path = installedPath(entry.getSize(), entry.getCrc());
                if (entry.getSize() >= 0 && entry.getCrc() >= 0 && isInstalled(path, entry.getSize())) {
                    return path;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    return write(in.readAllBytes());
                }
            }
        }
        try (InputStream in = BundledBinary.class.getResourceAsStream(name)) {
            if (in == null) {
                throw missing("the vessel-runtime jar");
            }
            return write(in.readAllBytes());
        }
    }

    private IOException missing(String where) {
        return new IOException(name + " is missing from " + where + ": rebuild with bin/build");
    }

    /** This class's jar (or classes directory), or null when the JVM does not say. */
    private static Path codeSource() {
        try {
            var location = BundledBinary.class.getProtectionDomain().getCodeSource();
            return location == null ? null : Path.of(location.getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private Path installedPath(long size, long crc) {
        return dir.resolve(name + "-" + size + "-" + Long.toHexString(crc));
    }

    private static boolean isInstalled(Path path, long size) throws IOException {
        return Files.isRegularFile(path) && Files.isExecutable(path) && Files.size(path) == size;
    }

    private Path write(byte[] bytes) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        Path path = installedPath(bytes.length, crc.getValue());
        if (!isInstalled(path, bytes.length)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(dirPermissions)));
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(filePermissions));
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return path;
    }
}
