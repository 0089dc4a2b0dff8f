package dev.vessel.disk;

import java.io.IOException;

/** A disk operation failed for a reason worth one clear line to the user (bad image, bad argument). */
public class DiskException extends IOException {
    public DiskException(String message) {
        super(message);
    }

    public DiskException(String message, Throwable cause) {
        super(message, cause);
    }
}
