package dev.vessel.runtime;

import java.io.IOException;
import java.nio.file.Path;

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
    private static final BundledBinary BINARY = new BundledBinary("vessel-init", INSTALL_DIR, "rwxr-xr-x", "r-xr-xr-x");

    private InitBinary() {
    }

    /** The init's path on the host, written from this jar when it is not there yet. */
    public static Path path() throws IOException {
        return BINARY.path();
    }
}
