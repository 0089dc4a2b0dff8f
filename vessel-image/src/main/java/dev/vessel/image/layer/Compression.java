package dev.vessel.image.layer;

import dev.vessel.image.ImageException;
import dev.vessel.image.oci.MediaTypes;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** The compressions layers and archives come in: none, gzip, zstd. */
public enum Compression {
    NONE, GZIP, ZSTD;

    /** The compression a layer media type declares. */
    public static Compression ofMediaType(String mediaType) throws ImageException {
        if (mediaType == null) {
            return NONE;
        }
        return switch (mediaType) {
            case MediaTypes.OCI_LAYER, MediaTypes.DOCKER_LAYER, MediaTypes.OCI_LAYER_NONDIST -> NONE;
            case MediaTypes.OCI_LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.OCI_LAYER_NONDIST_GZIP,
                 MediaTypes.DOCKER_FOREIGN_LAYER -> GZIP;
            case MediaTypes.OCI_LAYER_ZSTD, MediaTypes.DOCKER_LAYER_ZSTD -> ZSTD;
            default -> throw new ImageException("unsupported layer media type " + mediaType);
        };
    }

    /** Sniffs the magic number; the stream must support mark (use {@link #buffered}). */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    public static BufferedInputStream buffered(InputStream in) {
        return in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 1 << 20);
    }

    /** The uncompressed content of a stream in this compression. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> new ZstdInputStream(in);
        };
    }

    /** The layer media type (OCI) for an uncompressed/gzip/zstd tar. */
    public String ociLayerMediaType() {
        return switch (this) {
            case NONE -> MediaTypes.OCI_LAYER;
            case GZIP -> MediaTypes.OCI_LAYER_GZIP;
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
        };
    }
}
