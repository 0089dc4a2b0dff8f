package dev.vessel.disk;

import java.util.List;

/**
 * What qemu-img info reports about one image file. {@code backingFile} is as written in the image
 * (maybe relative); {@code fullBackingFile} resolved against the image's directory. Qcow2-only fields
 * are 0/null/false for other formats.
 */
public record ImageInfo(String filename, ImageFormat format, long virtualSize, long actualSize,
        long clusterSize, String backingFile, String fullBackingFile, ImageFormat backingFormat,
        boolean dirty, String compat, String compressionType, boolean lazyRefcounts, int refcountBits,
        boolean corrupt, boolean extendedL2, String dataFile, List<SnapshotInfo> snapshots, String vhdType) {
}
