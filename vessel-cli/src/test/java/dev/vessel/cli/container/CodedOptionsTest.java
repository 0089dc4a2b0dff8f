package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `run` and `create` declare their picocli model in code: they parse as the annotated commands
 * did (and as Docker's flags do).
 */
class CodedOptionsTest {
    private static RunCommand parseRun(String... args) {
        CommandSpec spec = RunCommand.spec();
        CommandLine line = new CommandLine(spec);
        line.setStopAtPositional(true);
        line.parseArgs(args);
        return (RunCommand) spec.userObject();
    }

    @Test
    void valuesDefaultsAndRepeatedFlags() {
        RunCommand run = parseRun("-d", "--name", "web", "-e", "A=1", "--env", "B=2", "--env-file", "/e", "-m", "64m",
                "--cpus", "0.5", "-c", "512", "--pids-limit", "10", "-v", "/a:/b", "--rm", "busybox", "sh", "-c", "x");
        assertThat(run.detach).isTrue();
        assertThat(run.sigProxy).isTrue();
        CreateOptions o = run.options;
        assertThat(o.name).isEqualTo("web");
        assertThat(o.env).containsExactly("A=1", "B=2");
        assertThat(o.envFiles).containsExactly(Path.of("/e"));
        assertThat(o.memory).isEqualTo("64m");
        assertThat(o.cpus).isEqualTo(0.5);
        assertThat(o.cpuShares).isEqualTo(512);
        assertThat(o.pidsLimit).isEqualTo(10L);
        assertThat(o.volumes).containsExactly("/a:/b");
        assertThat(o.remove).isTrue();
        assertThat(o.network).isEqualTo("none");
        assertThat(o.restart).isEqualTo("no");
        assertThat(o.pull).isEqualTo("missing");
        assertThat(o.image).isEqualTo("busybox");
        assertThat(o.command).containsExactly("sh", "-c", "x");
        assertThat(o.labels).isEmpty();
    }

    @Test
    void booleansTakeAnAttachedValueOnly() {
        assertThat(parseRun("--rm=false", "busybox").options.remove).isFalse();
        assertThat(parseRun("--privileged=true", "busybox").options.privileged).isTrue();
        assertThat(parseRun("--no-sig-proxy", "busybox").sigProxy).isFalse();
        assertThat(parseRun("--sig-proxy=false", "busybox").sigProxy).isFalse();
        // as Docker: a separate word after a boolean flag is the image, not the flag's value
        RunCommand run = parseRun("--sig-proxy", "false", "img");
        assertThat(run.sigProxy).isTrue();
        assertThat(run.options.image).isEqualTo("false");
        assertThat(run.options.command).containsExactly("img");
    }

    @Test
    void aMissingImageIsAUsageError() {
        for (String verb : new String[] {"run", "create"}) {
            CliRun run = CliRun.of(verb, "--rm");
            assertThat(run.status()).isEqualTo(125);
            assertThat(run.err()).startsWith("vessel: Missing required parameter: 'IMAGE'")
                    .contains("See 'vessel " + verb + " --help'.");
        }
    }

    @Test
    void aMissingOciIdIsAUsageError() {
        CliRun run = CliRun.of("oci", "state");
        assertThat(run.status()).isEqualTo(125);
        assertThat(run.err()).startsWith("vessel: Missing required parameter: 'ID'");
    }

    @Test
    void helpShowsTheValueNames() {
        assertThat(CliRun.of("--help").out()).contains("--root=DIR");
        assertThat(CliRun.of("oci", "create", "--help").out()).contains("--bundle=DIR", "--pid-file=FILE",
                "--console-socket=SOCKET");
    }
}
