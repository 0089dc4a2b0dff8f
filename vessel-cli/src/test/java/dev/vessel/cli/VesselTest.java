package dev.vessel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VesselTest {
    @Test
    void versionNamesTheProjectVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("vessel version 0.");
    }

    @Test
    void helpListsUsage() {
        CliRun run = CliRun.of("--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Usage: vessel").contains("--root");
    }

    @Test
    void unknownFlagIsOneLineErrorWithStatus125() {
        CliRun run = CliRun.of("--no-such-flag");
        assertThat(run.status()).isEqualTo(125);
        assertThat(run.err().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).startsWith("vessel: Unknown option"));
    }
}
