package dev.vessel.runtime.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A mount's option list split into mount(2) flags, propagation flags and the data string. */
public record MountOptions(long flags, long propagation, String data) {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_UNBINDABLE = 1 << 17;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final long MS_SHARED = 1 << 20;
    public static final long MS_RELATIME = 1 << 21;
    public static final long MS_STRICTATIME = 1 << 24;

    /** option -> {flags to set, flags to clear} */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("ro", new long[] {MS_RDONLY, 0}), Map.entry("rw", new long[] {0, MS_RDONLY}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 0}), Map.entry("suid", new long[] {0, MS_NOSUID}),
            Map.entry("nodev", new long[] {MS_NODEV, 0}), Map.entry("dev", new long[] {0, MS_NODEV}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 0}), Map.entry("exec", new long[] {0, MS_NOEXEC}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 0}), Map.entry("async", new long[] {0, MS_SYNCHRONOUS}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 0}),
            Map.entry("remount", new long[] {MS_REMOUNT, 0}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 0}), Map.entry("nomand", new long[] {0, MS_MANDLOCK}),
            Map.entry("atime", new long[] {0, MS_NOATIME}), Map.entry("noatime", new long[] {MS_NOATIME, 0}),
            Map.entry("diratime", new long[] {0, MS_NODIRATIME}), Map.entry("nodiratime", new long[] {MS_NODIRATIME, 0}),
            Map.entry("relatime", new long[] {MS_RELATIME, 0}), Map.entry("norelatime", new long[] {0, MS_RELATIME}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("nostrictatime", new long[] {0, MS_STRICTATIME}),
            Map.entry("bind", new long[] {MS_BIND, 0}), Map.entry("rbind", new long[] {MS_BIND | MS_REC, 0}),
            Map.entry("silent", new long[] {MS_SILENT, 0}), Map.entry("loud", new long[] {0, MS_SILENT}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    public static MountOptions parse(List<String> options) {
        long flags = 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        if (options != null) {
            for (String option : options) {
                long[] flag = FLAGS.get(option);
                Long prop = PROPAGATION.get(option);
                if (flag != null) {
                    flags = (flags | flag[0]) & ~flag[1];
                } else if (prop != null) {
                    propagation |= prop;
                } else if (!option.equals("defaults")) {
                    data.add(option);
                }
            }
        }
        return new MountOptions(flags, propagation, String.join(",", data));
    }

    /** The propagation flags for rootfsPropagation (and the default, rslave). */
    public static long propagation(String name) {
        Long prop = PROPAGATION.get(name);
        if (prop == null) {
            throw new IllegalArgumentException("linux.rootfsPropagation: unknown value " + name);
        }
        return prop;
    }

    public boolean bind() {
        return (flags & MS_BIND) != 0;
    }

    public boolean readOnly() {
        return (flags & MS_RDONLY) != 0;
    }
}
