package dev.vessel.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    private static final long YEAR_9999 = 253_402_300_799L;

    @Test
    void formatsEveryInstantAsInstantToStringDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-YEAR_9999 / 4, YEAR_9999);
            // whole seconds, minutes, milli- and microseconds are the edge cases of the fraction and of ":00"
            int nano = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            if (i % 7 == 0) {
                seconds -= Math.floorMod(seconds, 60);
            }
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            String text = Timestamps.format(instant);
            assertThat(text).isEqualTo(instant.toString());
            if (seconds >= -62_167_219_200L) { // year 0 and after: the shape the store writes
                assertThat(Timestamps.parse(text)).isEqualTo(instant);
            }
        }
    }

    @Test
    void parsesWhatInstantParseParsesAndRefusesWhatItRefuses() {
        for (String text : new String[] {"2024-02-29T23:59:59.5Z", "1970-01-01T00:00:00Z", "2024-01-02T03:04:05+02:00",
            "2024-01-01T24:00:00Z", "2016-12-31T23:59:60Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
            "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z", "2024-0a-01T00:00:00Z", "yesterday"}) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> Timestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(expected);
        }
        assertThatThrownBy(() -> Timestamps.parse("2023-02-29T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void parsesOffsetTimesAsOffsetDateTimeDoes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, YEAR_9999 - 86_400), random.nextInt(1_000_000_000));
            int offsetMinutes = random.nextInt(-18 * 60, 18 * 60 + 1);
            java.time.ZoneOffset offset = java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
            String text = instant.atOffset(offset).toString();
            assertThat(Timestamps.parseWithOffset(text)).as(text)
                    .isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
        }
        for (String text : new String[] {"2024-01-02T03:04:05.123+02:00", "2024-01-02T03:04:05-07:30", "2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05+19:00", "2024-02-30T03:04:05+01:00", "2024-01-02T03:04:05+0200", "yesterday"}) {
            Instant expected;
            try {
                expected = java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> Timestamps.parseWithOffset(text)).as(text)
                        .isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(Timestamps.parseWithOffset(text)).as(text).isEqualTo(expected);
        }
    }
}
