package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.cli.CliRun;
import dev.vessel.cli.VesselProcess;
import dev.vessel.engine.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `exec -d`, `exec -t` and `exec -it` in a running container. */
class ExecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    private String id;

    @BeforeEach
    void runningContainer() throws Exception {
        TestImages.busybox(root);
        CliRun started = vessel("run", "-d", "--name", "box", "busybox", "sleep", "300");
        assertThat(started.status()).as(started.err()).isZero();
        id = started.out().strip();
    }

    @AfterEach
    void cleanUp() throws Exception {
        CliRun.removeAllContainers(root);
    }

    private CliRun vessel(String... args) {
        return CliRun.in(root, args);
    }

    @Test
    void detachedExecRunsOnAfterVesselReturns() throws Exception {
        VesselProcess exec = VesselProcess.run(root, "exec", "-d", "box", "sh", "-c",
                "echo not-logged; sleep 0.5; echo done > /tmp/flag; exit 4");
        assertThat(exec.status()).as(exec.err()).isZero();
        assertThat(exec.out()).isEmpty();
        assertThat(vessel("exec", "box", "cat", "/tmp/flag").status()).as("still sleeping").isNotZero();
        String flag = "";
        for (int i = 0; i < 100 && !flag.equals("done\n"); i++) {
            Thread.sleep(50);
            flag = VesselProcess.run(root, "exec", "box", "cat", "/tmp/flag").out();
        }
        assertThat(flag).isEqualTo("done\n");
        Path exits = root.resolve("containers").resolve(id).resolve("exec");
        for (int i = 0; i < 100 && listJson(exits).isEmpty(); i++) {
            Thread.sleep(50);
        }
        List<Path> recorded = listJson(exits);
        assertThat(recorded).hasSize(1);
        assertThat(JSON.readTree(recorded.get(0).toFile()).get("ExitCode").asInt()).isEqualTo(4);
        assertThat(vessel("logs", "box").out()).as("exec -d output is not the container's").doesNotContain("not-logged");
        assertThat(vessel("top", "box").out()).doesNotContain("sleep 0.5");
    }

    private static List<Path> listJson(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        }
    }

    @Test
    void stdinReachesTheProcessOnlyWithInteractive() throws Exception {
        assertThat(VesselProcess.withInput(root, "typed\n", "exec", "box", "cat").out()).isEmpty();
        assertThat(VesselProcess.withInput(root, "typed\n", "exec", "-i", "box", "cat").out()).isEqualTo("typed\n");
    }

    @Test
    void ttyGivesTheProcessItsOwnTerminal() throws Exception {
        VesselProcess plain = VesselProcess.run(root, "exec", "box", "tty");
        assertThat(plain.out()).as(plain.err()).isEqualTo("not a tty\n");
        assertThat(plain.status()).isEqualTo(1);
        VesselProcess tty = VesselProcess.run(root, "exec", "-t", "box", "sh", "-c", "tty; echo $TERM; exit 6");
        assertThat(tty.out().replace("\r", "")).matches("(?s)/dev/pts/\\d+\nxterm\n");
        assertThat(tty.status()).isEqualTo(6);
    }

    @Test
    void interactiveTerminalExecIsAShell() throws Exception {
        try (TmuxTerminal terminal = TmuxTerminal.start(root, 90, 25, "exec", "-it", "box", "sh")) {
            terminal.waitForScreen(screen -> screen.contains("/ #"), "the shell prompt");
            terminal.type("echo pid-$$ $((6*7)); stty size; sleep 30 & jobs");
            terminal.waitForScreen(screen -> screen.contains("42") && screen.contains("25 90") && screen.contains("Running"),
                    "the command's output");
            assertThat(terminal.screen()).as("a new process, not PID 1").doesNotContain("pid-1 ");
            terminal.type("exit 5");
            assertThat(terminal.exitStatus()).isEqualTo("5");
        }
        assertThat(vessel("inspect", "--format", "{{.State.Status}}", "box").out().strip()).isEqualTo("running");
    }
}
