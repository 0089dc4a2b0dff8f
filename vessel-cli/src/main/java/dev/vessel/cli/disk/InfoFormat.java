package dev.vessel.cli.disk;

import dev.vessel.disk.ImageFormat;
import dev.vessel.disk.ImageInfo;
import dev.vessel.disk.SnapshotInfo;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders image information the way qemu-img info does (human and JSON). */
final class InfoFormat {
    /** Made when a snapshot's date is shown: java.time's formatters cost a fresh JVM ~20 ms to build. */
    private static final class Dates {
        static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(ZoneId.systemDefault());
    }

    private InfoFormat() {
    }

    /** qemu's size_to_str: three significant digits and a binary unit. */
    static String size(long v) {
        String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        int i = 0;
        double d = v;
        while (d >= 1000 * (1024.0 / 1000) * 1000 / 1024 && i < units.length - 1 && d / 1024 >= 1000.0 / 1024) {
            d /= 1024;
            i++;
            if (d < 1000) {
                break;
            }
        }
        String num = new BigDecimal(d).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return num + " " + units[i] + "B";
    }

    static String human(ImageInfo i) {
        StringBuilder sb = new StringBuilder();
        sb.append("image: ").append(i.filename()).append('\n');
        sb.append("file format: ").append(i.format().qemuName()).append('\n');
        sb.append("virtual size: ").append(size(i.virtualSize())).append(" (").append(i.virtualSize()).append(" bytes)\n");
        sb.append("disk size: ").append(size(i.actualSize())).append('\n');
        if (i.clusterSize() > 0) {
            sb.append("cluster_size: ").append(i.clusterSize()).append('\n');
        }
        if (i.backingFile() != null) {
            sb.append("backing file: ").append(i.backingFile());
            if (!i.backingFile().equals(i.fullBackingFile())) {
                sb.append(" (actual path: ").append(i.fullBackingFile()).append(')');
            }
            sb.append('\n');
            if (i.backingFormat() != null) {
                sb.append("backing file format: ").append(i.backingFormat().qemuName()).append('\n');
            }
        }
        if (!i.snapshots().isEmpty()) {
            sb.append("Snapshot list:\n").append(snapshotTable(i.snapshots()));
        }
        if (i.format() == ImageFormat.QCOW2) {
            sb.append("Format specific information:\n");
            sb.append("    compat: ").append(i.compat()).append('\n');
            if (i.compat().equals("1.1")) {
                sb.append("    compression type: ").append(i.compressionType()).append('\n');
                sb.append("    lazy refcounts: ").append(i.lazyRefcounts()).append('\n');
            }
            sb.append("    refcount bits: ").append(i.refcountBits()).append('\n');
            if (i.compat().equals("1.1")) {
                sb.append("    corrupt: ").append(i.corrupt()).append('\n');
                sb.append("    extended l2: ").append(i.extendedL2()).append('\n');
            }
            if (i.dataFile() != null) {
                sb.append("    data file: ").append(i.dataFile()).append('\n');
            }
        } else if (i.format() == ImageFormat.VHD && i.vhdType() != null) {
            sb.append("Format specific information:\n    type: ").append(i.vhdType()).append('\n');
        }
        return sb.toString();
    }

    static String snapshotTable(List<SnapshotInfo> snaps) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-10s%-17s%8s%20s%13s%11s%n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "ICOUNT"));
        for (SnapshotInfo s : snaps) {
            long secs = s.vmClockNsec() / 1_000_000_000L;
            String clock = String.format("%02d:%02d:%02d.%03d", secs / 3600, (secs / 60) % 60, secs % 60,
                    (s.vmClockNsec() / 1_000_000) % 1000);
            String icount = s.icount() == -1 ? "" : Long.toString(s.icount());
            sb.append(String.format("%-9s %-16s %8s%20s%13s%11s%n", s.id(), s.name(), size(s.vmStateSize()),
                    Dates.DATE.format(Instant.ofEpochSecond(s.dateSec())), clock, icount));
        }
        return sb.toString();
    }

    static Map<String, Object> json(ImageInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (i.backingFormat() != null) {
            m.put("backing-filename-format", i.backingFormat().qemuName());
        }
        if (!i.snapshots().isEmpty()) {
            List<Object> snaps = new ArrayList<>();
            for (SnapshotInfo s : i.snapshots()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                if (s.icount() != -1) {
                    sm.put("icount", s.icount());
                }
                sm.put("vm-clock-nsec", s.vmClockNsec() % 1_000_000_000L);
                sm.put("name", s.name());
                sm.put("date-sec", s.dateSec());
                sm.put("date-nsec", s.dateNsec());
                sm.put("vm-clock-sec", s.vmClockNsec() / 1_000_000_000L);
                sm.put("id", s.id());
                sm.put("vm-state-size", s.vmStateSize());
                snaps.add(sm);
            }
            m.put("snapshots", snaps);
        }
        m.put("virtual-size", i.virtualSize());
        m.put("filename", i.filename());
        if (i.clusterSize() > 0) {
            m.put("cluster-size", i.clusterSize());
        }
        m.put("format", i.format().qemuName());
        m.put("actual-size", i.actualSize());
        if (i.format() == ImageFormat.QCOW2) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("compat", i.compat());
            if (i.compat().equals("1.1")) {
                d.put("compression-type", i.compressionType());
                d.put("lazy-refcounts", i.lazyRefcounts());
            }
            d.put("refcount-bits", i.refcountBits());
            if (i.compat().equals("1.1")) {
                d.put("corrupt", i.corrupt());
                d.put("extended-l2", i.extendedL2());
            }
            if (i.dataFile() != null) {
                d.put("data-file", i.dataFile());
            }
            Map<String, Object> fs = new LinkedHashMap<>();
            fs.put("type", "qcow2");
            fs.put("data", d);
            m.put("format-specific", fs);
        }
        if (i.backingFile() != null) {
            m.put("full-backing-filename", i.fullBackingFile());
            m.put("backing-filename", i.backingFile());
        }
        m.put("dirty-flag", i.dirty());
        return m;
    }
}
