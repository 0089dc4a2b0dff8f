package dev.vessel.cli.format;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as Docker's CLI prints them ("2024-05-01 10:00:00 +0000 UTC"). */
public final class DockerTime {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private DockerTime() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant.atZone(ZoneId.of("UTC")));
    }
}
