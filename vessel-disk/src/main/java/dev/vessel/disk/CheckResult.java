package dev.vessel.disk;

import java.util.List;

/**
 * What a consistency check found (and fixed). Exit status as qemu-img check: 0 clean, 2 corruptions
 * left, 3 only leaks left.
 */
public record CheckResult(long corruptions, long leaks, long corruptionsFixed, long leaksFixed,
        long allocatedClusters, long totalClusters, long compressedClusters, long imageEnd,
        List<String> messages) {
    public int exitStatus() {
        if (corruptions > 0) {
            return 2;
        }
        return leaks > 0 ? 3 : 0;
    }
}
