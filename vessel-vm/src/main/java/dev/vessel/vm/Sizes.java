package dev.vessel.vm;

import java.util.Locale;

/** Sizes as users write them: 512M, 2G, 1.5G, 4096 (bytes unless a default unit is given). */
public final class Sizes {
    private Sizes() {
    }

    /** Parses a size; a bare number is in units of defaultUnit bytes. */
    public static long parse(String text, long defaultUnit) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = defaultUnit;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                case 'B' -> unit = 1;
                default -> unit = -1;
            }
            if (unit > 0) {
                s = s.substring(0, s.length() - 1);
            } else {
                unit = defaultUnit;
            }
        }
        try {
            double value = Double.parseDouble(s);
            if (value <= 0 || Double.isNaN(value) || value * unit > Long.MAX_VALUE / 2) {
                throw new NumberFormatException();
            }
            return (long) Math.ceil(value * unit);
        } catch (NumberFormatException e) {
            throw new VmException("invalid size '" + text + "' (use a number with K, M, G or T, e.g. 512M)");
        }
    }

    /** True when the text looks like a size rather than a file name. */
    public static boolean isSize(String text) {
        return text.matches("(?i)\\d+(\\.\\d+)?\\s*[KMGT]?(i?B)?");
    }

    public static String human(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return bytes + "B";
    }
}
