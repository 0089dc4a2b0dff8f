package dev.vessel.image;

import java.io.IOException;

/**
 * A failure about images or the store that the user can act on; its message is one
 * self-contained line (what failed, with the name or path involved).
 */
public class ImageException extends IOException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
