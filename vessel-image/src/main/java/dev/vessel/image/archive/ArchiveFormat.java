package dev.vessel.image.archive;

import dev.vessel.image.ImageException;

/** The archive formats {@code vessel save} writes. */
public enum ArchiveFormat {
    DOCKER_ARCHIVE("docker-archive"), OCI_ARCHIVE("oci-archive");

    private final String cliName;

    ArchiveFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static ArchiveFormat parse(String text) throws ImageException {
        for (ArchiveFormat format : values()) {
            if (format.cliName.equals(text)) {
                return format;
            }
        }
        throw new ImageException("unknown archive format " + text + " (use docker-archive or oci-archive)");
    }
}
