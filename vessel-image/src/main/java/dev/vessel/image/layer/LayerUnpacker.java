package dev.vessel.image.layer;

import dev.vessel.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Applies one layer tar to an empty directory (filled in below). */
public final class LayerUnpacker {
    private final Path dir;

    public LayerUnpacker(Path dir) {
        this.dir = dir;
    }

    public void unpack(InputStream blob, String mediaType, Digest diffId) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
