package dev.vessel.cli.disk;

import dev.vessel.cli.VesselException;
import dev.vessel.disk.DiskException;
import dev.vessel.disk.Disks;
import dev.vessel.disk.ImageFormat;

/** Parsing shared by the disk verbs; bad values become one-line errors. */
final class Args {
    private Args() {
    }

    static long size(String s) {
        try {
            return Disks.parseSize(s);
        } catch (DiskException e) {
            throw new VesselException(e.getMessage());
        }
    }

    static ImageFormat format(String s) {
        if (s == null) {
            return null;
        }
        try {
            return ImageFormat.parse(s);
        } catch (DiskException e) {
            throw new VesselException(e.getMessage());
        }
    }
}
