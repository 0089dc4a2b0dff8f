package dev.vessel.cli.disk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The numbers in qemu-io's statistics lines, as qemu's cvtstr/timestr/printf print them. */
class IoReportTest {
    @Test
    void linesForKnownTimings() {
        assertThat(IoReport.format("read", 0, 4096, 1, 1_000_000, false)).isEqualTo("read 4096/4096 bytes at offset 0"
                + System.lineSeparator() + "4 KiB, 1 ops; 00.00 sec (3.906 MiB/sec and 1000.0000 ops/sec)");
        assertThat(IoReport.format("wrote", 512, 268435456, 1, 980_000_000, false)).endsWith(
                "256 MiB, 1 ops; 00.98 sec (261.224 MiB/sec and 1.0204 ops/sec)");
        assertThat(IoReport.format("read", 0, 4096, 1, 1_000_000, true)).isEqualTo("4096,1,0:00:00.00,4096000.000,1000.000");
        assertThat(IoReport.format("read", 0, 100, 1, 75_125_000_000L, true)).isEqualTo("100,1,0:01:15.13,1.331,0.013");
    }

    @Test
    void sizesAndFixedPoint() {
        assertThat(IoReport.size(100)).isEqualTo("100 bytes");
        assertThat(IoReport.size(1536)).isEqualTo("1.500 KiB");
        assertThat(IoReport.size(5.392 * (1L << 30))).isEqualTo("5.392 GiB");
        assertThat(IoReport.fixed(0.0005, 3)).isEqualTo("0.001");
        assertThat(IoReport.fixed(12.3456789, 4)).isEqualTo("12.3457");
        assertThat(IoReport.fixed(Double.POSITIVE_INFINITY, 3)).isEqualTo("inf");
        assertThat(IoReport.fixed(7, 0)).isEqualTo("7");
    }
}
