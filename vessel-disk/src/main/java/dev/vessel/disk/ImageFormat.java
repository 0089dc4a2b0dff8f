package dev.vessel.disk;

import java.util.Locale;

/** The image formats Vessel reads and writes; names are qemu-img's ({@code vpc} is accepted for VHD). */
public enum ImageFormat {
    RAW("raw"), QCOW2("qcow2"), VHD("vpc");

    private final String qemuName;

    ImageFormat(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The name qemu-img uses for this format (raw, qcow2, vpc). */
    public String qemuName() {
        return qemuName;
    }

    /** Vessel's own name (raw, qcow2, vhd). */
    public String vesselName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses raw, qcow2, vhd or vpc (case-insensitive). */
    public static ImageFormat parse(String name) throws DiskException {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "raw": return RAW;
            case "qcow2": return QCOW2;
            case "vhd": case "vpc": return VHD;
            default: throw new DiskException("unknown image format '" + name + "' (use qcow2, raw or vhd)");
        }
    }
}
