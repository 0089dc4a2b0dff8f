package dev.vessel.os;

import java.time.Instant;

/**
 * Instants as the store writes them, exactly as {@link Instant#toString} and {@link Instant#parse}
 * would. The calendar arithmetic is done here (H. Hinnant's civil-from-days algorithms) because
 * java.time's dates initialise its formatters, about 15 ms of a fresh JVM, which every
 * {@code vessel run} paid for a few timestamps.
 */
public final class Timestamps {
    private static final long SECONDS_PER_DAY = 86_400;
    /** 0000-03-01, the start of the algorithms' 400-year eras, counted from 1970-01-01. */
    private static final long DAYS_0000_TO_1970 = 719_468;
    private static final long DAYS_PER_ERA = 146_097;

    private Timestamps() {
    }

    /** Now, as {@code Instant.now().toString()}. */
    public static String now() {
        return format(Instant.now());
    }

    /** The same text as {@code instant.toString()}: UTC, seconds always, the fraction in groups of three digits. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        long z = days + DAYS_0000_TO_1970;
        long era = Math.floorDiv(z, DAYS_PER_ERA);
        long dayOfEra = z - era * DAYS_PER_ERA;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return instant.toString(); // signed and long years: rare enough for java.time
        }
        StringBuilder text = new StringBuilder(30);
        pad(text, year, 4).append('-');
        pad(text, month, 2).append('-');
        pad(text, day, 2).append('T');
        pad(text, secondOfDay / 3600, 2).append(':');
        pad(text, secondOfDay / 60 % 60, 2).append(':');
        pad(text, secondOfDay % 60, 2);
        int nano = instant.getNano();
        if (nano != 0) {
            text.append('.');
            if (nano % 1_000_000 == 0) {
                pad(text, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                pad(text, nano / 1000, 6);
            } else {
                pad(text, nano, 9);
            }
        }
        return text.append('Z').toString();
    }

    /** As {@link Instant#parse}; the shape {@link #format} writes is read here, anything else by java.time. */
    public static Instant parse(String text) {
        Instant fast = parseFormatted(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /**
     * An RFC 3339 time with a Z or a numeric offset (image configs': "2024-05-01T10:00:00.5+02:00"),
     * as {@code OffsetDateTime.parse(text).toInstant()}, whose formatter costs a short command ~10 ms
     * to build; other shapes go to java.time.
     */
    public static Instant parseWithOffset(String text) {
        int length = text.length();
        if (length > 26 && (text.charAt(length - 6) == '+' || text.charAt(length - 6) == '-')
                && text.charAt(length - 3) == ':') {
            int hours = digits(text, length - 5, length - 3);
            int minutes = digits(text, length - 2, length);
            Instant local = hours >= 0 && hours <= 18 && minutes >= 0 && minutes <= 59
                    ? parseFormatted(text.substring(0, length - 6) + "Z") : null;
            if (local != null) {
                long offset = (hours * 3600L + minutes * 60L) * (text.charAt(length - 6) == '-' ? -1 : 1);
                return local.minusSeconds(offset);
            }
        } else {
            Instant fast = parseFormatted(text);
            if (fast != null) {
                return fast;
            }
        }
        return java.time.OffsetDateTime.parse(text).toInstant();
    }

    /** yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z with valid fields, or null. */
    private static Instant parseFormatted(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nano = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            nano = digits(text, 20, length - 1);
            for (int i = fractionDigits; i < 9 && nano >= 0; i++) {
                nano *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || nano < 0) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second,
                nano);
    }

    private static long epochDay(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * DAYS_PER_ERA + dayOfEra - DAYS_0000_TO_1970;
    }

    private static int daysInMonth(int year, int month) {
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        return switch (month) {
            case 2 -> leap ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The decimal number in text[from, to), or a negative number when a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Integer.MIN_VALUE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static StringBuilder pad(StringBuilder text, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }
}
