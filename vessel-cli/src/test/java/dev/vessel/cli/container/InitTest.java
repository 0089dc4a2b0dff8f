package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.cli.CliRun;
import dev.vessel.cli.VesselProcess;
import dev.vessel.engine.TestImages;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run --init`: the static init as PID 1 reaps orphans, passes signals on and returns the command's status. */
class InitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two orphans that exit at once (their parent, a subshell, is gone), then a PID 1 that never waits. */
    private static final String ORPHANS = "(sleep 0.1 &); (sleep 0.1 &); exec sleep 300";
    private static final String ZOMBIES = "for s in /proc/[0-9]*/stat; do read -r line < $s; set -- $line; echo $3; done"
            + " | grep -c Z";

    @TempDir
    Path root;

    @BeforeEach
    void image() throws Exception {
        TestImages.busybox(root);
    }

    @AfterEach
    void cleanUp() {
        CliRun.removeAllContainers(root);
    }

    private CliRun vessel(String... args) {
        return CliRun.in(root, args);
    }

    private String zombiesAfterOrphansExit(String name) throws Exception {
        Thread.sleep(800);
        return VesselProcess.run(root, "exec", name, "sh", "-c", ZOMBIES).out().strip();
    }

    @Test
    void orphansAreReapedOnlyWithInit() throws Exception {
        CliRun plain = vessel("run", "-d", "--name", "plain", "busybox", "sh", "-c", ORPHANS);
        assertThat(plain.status()).as(plain.err()).isZero();
        CliRun init = vessel("run", "-d", "--init", "--name", "init", "busybox", "sh", "-c", ORPHANS);
        assertThat(init.status()).as(init.err()).isZero();
        assertThat(zombiesAfterOrphansExit("plain")).as("without an init, sleep as PID 1 leaves them").isEqualTo("2");
        assertThat(zombiesAfterOrphansExit("init")).isEqualTo("0");
        String processes = VesselProcess.run(root, "exec", "init", "ps", "-o", "pid,stat,args").out();
        assertThat(processes).contains("1 S    /sbin/docker-init -- sh -c").doesNotContain(" Z ");
        JsonNode inspect = JSON.readTree(vessel("inspect", "init").out()).get(0);
        assertThat(inspect.get("HostConfig").get("Init").asBoolean()).isTrue();
        assertThat(inspect.get("Path").asText()).isEqualTo("sh");
        assertThat(JSON.readTree(vessel("inspect", "plain").out()).get(0).get("HostConfig").get("Init").asBoolean()).isFalse();
        assertThat(vessel("diff", "init").out()).as("the init's mount point is the runtime's, not a change").isEmpty();
    }

    @Test
    void stopsSignalReachesTheCommandThroughInit() throws Exception {
        CliRun started = vessel("run", "-d", "--init", "--name", "trap", "busybox", "sh", "-c",
                "trap 'echo got-term; exit 7' TERM; echo ready; while true; do sleep 0.1; done");
        assertThat(started.status()).as(started.err()).isZero();
        for (int i = 0; i < 100 && !vessel("logs", "trap").out().contains("ready"); i++) {
            Thread.sleep(50);
        }
        assertThat(vessel("stop", "-t", "20", "trap").status()).isZero();
        assertThat(vessel("logs", "trap").out()).isEqualTo("ready\ngot-term\n");
        JsonNode state = JSON.readTree(vessel("inspect", "trap").out()).get(0).get("State");
        assertThat(state.get("ExitCode").asInt()).as("the command's status, not SIGKILL's 137").isEqualTo(7);
    }

    @Test
    void theCommandsStatusIsTheContainers() throws Exception {
        assertThat(VesselProcess.run(root, "run", "--rm", "--init", "busybox", "sh", "-c", "exit 3").status()).isEqualTo(3);
        VesselProcess hello = VesselProcess.run(root, "run", "--rm", "--init", "-u", "nobody", "busybox", "echo", "hi");
        assertThat(hello.out()).as(hello.err()).isEqualTo("hi\n");
        assertThat(hello.status()).isZero();
        assertThat(VesselProcess.run(root, "run", "--rm", "--init", "busybox", "sh", "-c", "kill -KILL $$").status())
                .isEqualTo(137);
        VesselProcess missing = VesselProcess.run(root, "run", "--rm", "--init", "busybox", "no-such-command");
        assertThat(missing.status()).isEqualTo(127);
        assertThat(missing.err()).contains("no-such-command");
        assertThat(vessel("ps", "-aq").out()).isEmpty();
    }
}
