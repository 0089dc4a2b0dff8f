package dev.vessel.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;

/**
 * The static init (`run --init`), the native helper's `--` mode built without shared libraries so
 * that it runs in any image. It ships in this jar and is written once under /run/vessel/init, named
 * by its size and checksum, read-only and executable by all (a container's user may be anyone);
 * engines bind-mount that file read-only into containers.
 */
public final class InitBinary {
    static final Path INSTALL_DIR = Path.of("/run/vessel/init");
    /** Where Docker puts its init in a container, kept for users' scripts that look for it. */
    public static final String CONTAINER_PATH = "/sbin/docker-init";
    private static Path installed;

    private InitBinary() {
    }

    /** The init's path on the host, written from this jar when it is not there yet. */
    public static synchronized Path path() throws IOException {
        if (installed != null) {
            return installed;
        }
        byte[] bytes;
        try (InputStream in = InitBinary.class.getResourceAsStream("vessel-init")) {
            if (in == null) {
                throw new IOException("the static init is missing from the vessel-runtime jar: rebuild with bin/build");
            }
            bytes = in.readAllBytes();
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        Path path = INSTALL_DIR.resolve("vessel-init-" + bytes.length + "-" + Long.toHexString(crc.getValue()));
        if (!Files.isRegularFile(path) || Files.size(path) != bytes.length) {
            Files.createDirectories(INSTALL_DIR);
            Path tmp = Files.createTempFile(INSTALL_DIR, ".vessel-init", ".tmp");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        installed = path;
        return path;
    }
}
