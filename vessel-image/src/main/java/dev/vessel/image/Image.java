package dev.vessel.image;

import java.time.Instant;
import java.util.List;

/**
 * One image in the store: its manifest, its ID (the config digest, as Docker) and the
 * references ({@code name:tag}) pointing at it. Read the manifest and config with
 * {@link ImageStore#manifest(Image)} and {@link ImageStore#config(Image)}.
 *
 * @param manifestDigest    the digest of the stored manifest (what {@code name@sha256:...} names)
 * @param id                the image ID: the digest of the config blob
 * @param manifestMediaType OCI or Docker schema 2 manifest
 * @param tags              the references pointing at this image, sorted; empty when dangling
 * @param added             when the image entered the store
 */
public record Image(Digest manifestDigest, Digest id, String manifestMediaType, List<ImageReference> tags,
        Instant added) {
    public Image {
        tags = List.copyOf(tags);
    }

    public boolean dangling() {
        return tags.isEmpty();
    }
}
