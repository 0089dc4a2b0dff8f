package dev.vessel.cli.disk;

import java.util.Locale;

/**
 * The statistics line qemu-io prints after each read, write or discard, in the same format, so that
 * one script parses both tools' in-tool timings (qemu-io-cmds.c print_report, cutils cvtstr/timestr).
 */
final class IoReport {
    private IoReport() {
    }

    /**
     * Two lines ("read 4096/4096 bytes at offset 0" and "4 KiB, 1 ops; 00.00 sec (.. MiB/sec and ..
     * ops/sec)"), or with {@code machine} qemu-io's -C line "bytes,ops,H:MM:SS.ss,bytes/sec,ops/sec".
     */
    static String format(String verb, long offset, long bytes, int ops, long nanos, boolean machine) {
        double secs = nanos / 1e9;
        if (machine) {
            return String.format(Locale.ROOT, "%d,%d,%s,%.3f,%.3f", bytes, ops, clock(secs), bytes / secs, ops / secs);
        }
        return String.format(Locale.ROOT, "%s %d/%d bytes at offset %d%n%s, %d ops; %s (%s/sec and %.4f ops/sec)",
                verb, bytes, bytes, offset, size(bytes), ops, seconds(secs), size(bytes / secs), ops / secs);
    }

    /** The --timing line of commit and convert: seconds since t0 (System.nanoTime), after start-up. */
    static String elapsed(long t0) {
        return String.format(Locale.ROOT, "time: %.6f sec", (System.nanoTime() - t0) / 1e9);
    }

    /** qemu's cvtstr: three decimals in the largest binary unit, ".000" dropped. */
    static String size(double v) {
        String[] units = {" EiB", " PiB", " TiB", " GiB", " MiB", " KiB"};
        for (int i = 0; i < units.length; i++) {
            double unit = Math.pow(1024, units.length - i);
            if (v >= unit) {
                return trim(String.format(Locale.ROOT, "%.3f", v / unit), units[i]);
            }
        }
        return trim(String.format(Locale.ROOT, "%f", v), " bytes");
    }

    private static String trim(String number, String suffix) {
        int dot = number.indexOf(".000");
        return (dot >= 0 ? number.substring(0, dot) : number) + suffix;
    }

    /** qemu's timestr without a fixed format: "00.98 sec" (hours:minutes past an hour). */
    private static String seconds(double secs) {
        return secs >= 3600 ? clock(secs) : String.format(Locale.ROOT, "%05.2f sec", secs);
    }

    private static String clock(double secs) {
        long whole = (long) secs;
        return String.format(Locale.ROOT, "%d:%02d:%05.2f", whole / 3600, whole / 60 % 60, secs - whole / 60 * 60);
    }
}
