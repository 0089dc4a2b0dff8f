package dev.vessel.disk;

/**
 * How to create an image. {@code size} may be -1 with a backing file (then the backing's size is
 * used). {@code backingFile} is stored as given (relative paths are relative to the new image's
 * directory); {@code backingFormat} null means probe it.
 */
public record CreateOptions(ImageFormat format, long size, String backingFile, ImageFormat backingFormat,
        int clusterSize, boolean compatV2, boolean lazyRefcounts, int refcountBits, String compression,
        String vhdSubformat) {
    public static CreateOptions qcow2(long size) {
        return new CreateOptions(ImageFormat.QCOW2, size, null, null, 65536, false, false, 16, "zlib", null);
    }

    public static CreateOptions of(ImageFormat format, long size) {
        return new CreateOptions(format, size, null, null, 65536, false, false, 16, "zlib", "dynamic");
    }

    public CreateOptions withBacking(String file, ImageFormat fmt) {
        return new CreateOptions(format, size, file, fmt, clusterSize, compatV2, lazyRefcounts, refcountBits,
                compression, vhdSubformat);
    }

    public CreateOptions withClusterSize(int bytes) {
        return new CreateOptions(format, size, backingFile, backingFormat, bytes, compatV2, lazyRefcounts,
                refcountBits, compression, vhdSubformat);
    }

    public CreateOptions withCompatV2(boolean v2) {
        return new CreateOptions(format, size, backingFile, backingFormat, clusterSize, v2, lazyRefcounts,
                refcountBits, compression, vhdSubformat);
    }

    public CreateOptions withRefcountBits(int bits) {
        return new CreateOptions(format, size, backingFile, backingFormat, clusterSize, compatV2, lazyRefcounts,
                bits, compression, vhdSubformat);
    }

    public CreateOptions withCompression(String type) {
        return new CreateOptions(format, size, backingFile, backingFormat, clusterSize, compatV2, lazyRefcounts,
                refcountBits, type, vhdSubformat);
    }

    public CreateOptions withVhdSubformat(String sub) {
        return new CreateOptions(format, size, backingFile, backingFormat, clusterSize, compatV2, lazyRefcounts,
                refcountBits, compression, sub);
    }
}
