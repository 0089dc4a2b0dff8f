package dev.vessel.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/** Sizes and ages printed the way Docker prints them (go-units). */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private Units() {
    }

    /** Docker's HumanSize: decimal units, 3 significant digits ("4.26MB", "125kB", "0B"). */
    public static String humanSize(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < DECIMAL.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(3));
        return rounded.stripTrailingZeros().toPlainString() + DECIMAL[unit];
    }

    /** Docker's HumanDuration followed by " ago" ("About a minute ago", "3 days ago"). */
    public static String ago(Instant when, Instant now) {
        if (when == null) {
            return "N/A";
        }
        return humanDuration(Duration.between(when, now)) + " ago";
    }

    public static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }

    /** Parses an RFC 3339 time from an image config; null when absent or malformed. */
    public static Instant parseTime(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return dev.vessel.os.Timestamps.parseWithOffset(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
