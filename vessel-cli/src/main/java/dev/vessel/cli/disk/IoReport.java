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
        StringBuilder b = new StringBuilder(120);
        if (machine) {
            b.append(bytes).append(',').append(ops).append(',').append(clock(secs)).append(',');
            return b.append(fixed(bytes / secs, 3)).append(',').append(fixed(ops / secs, 3)).toString();
        }
        b.append(verb).append(' ').append(bytes).append('/').append(bytes).append(" bytes at offset ").append(offset)
                .append(System.lineSeparator());
        b.append(size(bytes)).append(", ").append(ops).append(" ops; ").append(seconds(secs)).append(" (")
                .append(size(bytes / secs)).append("/sec and ").append(fixed(ops / secs, 4)).append(" ops/sec)");
        return b.toString();
    }

    /** printf's %.Nf, by hand: String.format's parser costs more than the I/O it reports on. */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v) || Math.abs(v) >= 1e15) {
            return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        long r = Math.round(Math.abs(v) * scale);
        StringBuilder b = new StringBuilder(24);
        if (v < 0 && r != 0) {
            b.append('-');
        }
        b.append(r / scale);
        if (decimals > 0) {
            String frac = Long.toString(r % scale);
            b.append('.').append("0".repeat(decimals - frac.length())).append(frac);
        }
        return b.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    /** The --timing line of commit and convert: seconds since t0 (System.nanoTime), after start-up. */
    static String elapsed(long t0) {
        return "time: " + fixed((System.nanoTime() - t0) / 1e9, 6) + " sec";
    }

    /** qemu's cvtstr: three decimals in the largest binary unit, ".000" dropped. */
    static String size(double v) {
        String[] units = {" EiB", " PiB", " TiB", " GiB", " MiB", " KiB"};
        for (int i = 0; i < units.length; i++) {
            double unit = Math.pow(1024, units.length - i);
            if (v >= unit) {
                return trim(fixed(v / unit, 3), units[i]);
            }
        }
        return trim(fixed(v, 6), " bytes");
    }

    private static String trim(String number, String suffix) {
        int dot = number.indexOf(".000");
        return (dot >= 0 ? number.substring(0, dot) : number) + suffix;
    }

    /** qemu's timestr without a fixed format: "00.98 sec" (hours:minutes past an hour). */
    private static String seconds(double secs) {
        return secs >= 3600 ? clock(secs) : pad(fixed(secs, 2), 5) + " sec";
    }

    private static String clock(double secs) {
        long whole = (long) secs;
        return whole / 3600 + ":" + pad(Long.toString(whole / 60 % 60), 2) + ":" + pad(fixed(secs - whole / 60 * 60, 2), 5);
    }
}
