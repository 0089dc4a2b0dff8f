package dev.vessel.disk;

/** One internal snapshot, as qemu-img snapshot -l lists it. */
public record SnapshotInfo(String id, String name, long vmStateSize, long dateSec, long dateNsec,
        long vmClockNsec, long icount, long diskSize) {
}
