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
    void helpVerbShowsTheNamedCommandsUsage() {
        CliRun ps = CliRun.of("help", "ps");
        assertThat(ps.status()).isZero();
        assertThat(ps.out()).startsWith("Usage: vessel ps ").isEqualTo(CliRun.of("ps", "--help").out());
        assertThat(CliRun.of("help").out()).isEqualTo(CliRun.of("--help").out());
        assertThat(CliRun.of("help", "--help").out()).contains("Usage: vessel help [-h] [COMMAND]");
        CliRun unknown = CliRun.of("help", "nosuch");
        assertThat(unknown.status()).isEqualTo(125);
        assertThat(unknown.err()).startsWith("vessel: Unknown subcommand 'nosuch'.");
    }

    @Test
    void aDiskConvertPreparesItsCopyBesideTheParsing() {
        assertThat(Vessel.preloads(new String[] {"--root", "/r", "disk", "convert", "a", "b"})).hasSize(1);
        assertThat(Vessel.preloads(new String[] {"disk", "clone", "a", "b"})).hasSize(1);
        assertThat(Vessel.preloads(new String[] {"disk", "info", "a"})).isEmpty();
    }

    @Test
    void unknownFlagIsOneLineErrorWithStatus125() {
        CliRun run = CliRun.of("--no-such-flag");
        assertThat(run.status()).isEqualTo(125);
        assertThat(run.err().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).startsWith("vessel: Unknown option"));
    }

    @Test
    void everyCommandAnswersHelp() {
        java.util.List<java.util.List<String>> commands = new java.util.ArrayList<>();
        collect(Vessel.commandLine(new String[] {"--help"}), java.util.List.of(), commands);
        assertThat(commands).hasSizeGreaterThan(80);
        for (java.util.List<String> command : commands) {
            java.util.List<String> args = new java.util.ArrayList<>(command);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Usage: vessel " + String.join(" ", command));
        }
    }

    private static void collect(picocli.CommandLine commandLine, java.util.List<String> path,
            java.util.List<java.util.List<String>> into) {
        for (var entry : commandLine.getSubcommands().entrySet()) {
            if (entry.getValue().getCommandSpec().usageMessage().hidden()
                    || !entry.getKey().equals(entry.getValue().getCommandName())) {
                continue;
            }
            java.util.List<String> sub = new java.util.ArrayList<>(path);
            sub.add(entry.getKey());
            into.add(sub);
            collect(entry.getValue(), sub, into);
        }
    }
}
