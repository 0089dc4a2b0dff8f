package dev.vessel.image;

/** A reference or image ID that names no image in the store. */
public final class ImageNotFoundException extends ImageException {
    public ImageNotFoundException(String reference) {
        super("No such image: " + reference);
    }
}
