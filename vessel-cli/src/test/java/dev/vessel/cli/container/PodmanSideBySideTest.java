package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.cli.CliRun;
import dev.vessel.cli.Podman;
import dev.vessel.cli.VesselProcess;
import dev.vessel.engine.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scenarios under podman, the reference, and under vessel, on the same busybox image
 * (vessel save, podman load): exit codes, inspect fields, diff output and ps columns agree.
 * Where podman departs from Docker (Name without '/', its own default Env and PidsLimit, Config.Image
 * with localhost/, its init in Path, 64000 KiB ShmSize, an "" RestartPolicy), Docker's way is kept
 * and the field is not compared.
 */
class PodmanSideBySideTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = "localhost/busybox:latest";

    @TempDir
    static Path work;
    private static Path root;
    private static Podman podman;

    @BeforeAll
    static void sameImageInBoth() throws Exception {
        assumeTrue(Podman.available(), "podman or runc is not installed (bin/install-deps installs them)");
        root = work.resolve("vessel");
        TestImages.busybox(root);
        podman = new Podman(work.resolve("podman"));
        Path archive = work.resolve("busybox.tar");
        CliRun save = CliRun.of("--root", root.toString(), "save", "-o", archive.toString(), "busybox");
        assertThat(save.status()).as(save.err()).isZero();
        Podman.Result load = podman.run("load", "-q", "-i", archive.toString());
        assertThat(load.status()).as(load.err()).isZero();
        assertThat(load.out()).contains(IMAGE);
    }

    @AfterAll
    static void removeAll() throws Exception {
        if (podman != null) {
            podman.close();
        }
    }

    @AfterEach
    void removeContainers() throws Exception {
        CliRun.removeAllContainers(root);
        podman.run("rm", "--all", "--force", "--time", "0");
    }

    private static CliRun vessel(String... args) {
        return CliRun.in(root, args);
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void exitCodes() throws Exception {
        record Case(int expected, String[] flags, String image, String... command) {
        }
        List<Case> cases = List.of(
                new Case(0, new String[0], null, "sh", "-c", "exit 0"),
                new Case(3, new String[0], null, "sh", "-c", "exit 3"),
                new Case(127, new String[0], null, "no-such-command"),
                new Case(126, new String[0], null, "/etc/passwd"),
                new Case(125, new String[] {"--memory", "lots"}, null, "true"),
                new Case(125, new String[] {"--pull", "never"}, "no-such-image", "true"));
        for (Case c : cases) {
            String[] vesselArgs = concat(concat(concat(new String[] {"run", "--rm"}, c.flags()),
                    c.image() == null ? "busybox" : c.image()), c.command());
            String[] podmanArgs = concat(concat(concat(new String[] {"--rm"}, c.flags()),
                    c.image() == null ? IMAGE : c.image()), c.command());
            int byVessel = VesselProcess.run(root, vesselArgs).status();
            Podman.Result byPodman = podman.container("run", podmanArgs);
            assertThat(byPodman.status()).as("podman " + String.join(" ", podmanArgs) + ": " + byPodman.err())
                    .isEqualTo(c.expected());
            assertThat(byVessel).as("vessel " + String.join(" ", vesselArgs)).isEqualTo(byPodman.status());
        }
    }

    @Test
    void inspectOfAnExitedContainer() throws Exception {
        String[] flags = {"--name", "done", "-e", "A=1", "-w", "/tmp", "-u", "nobody", "-m", "64m", "--cpus", "0.5",
                "--cpu-shares", "512", "--read-only", "--cap-add", "net_admin", "--cap-drop", "MKNOD", "--init",
                "--label", "team=core"};
        String[] command = {"sh", "-c", "exit 3"};
        assertThat(VesselProcess.run(root, concat(concat(concat(new String[] {"run"}, flags), "busybox"), command))
                .status()).isEqualTo(3);
        assertThat(podman.container("run", concat(concat(flags, IMAGE), command)).status()).isEqualTo(3);
        JsonNode ours = JSON.readTree(vessel("inspect", "done").out()).get(0);
        JsonNode theirs = JSON.readTree(podman.run("inspect", "done").out()).get(0);
        for (String field : List.of("Status", "Running", "Paused", "OOMKilled", "ExitCode", "Pid")) {
            assertThat(ours.get("State").get(field)).as("State." + field).isEqualTo(theirs.get("State").get(field));
        }
        assertThat(ours.get("State").get("ExitCode").asInt()).isEqualTo(3);
        // (podman's own can be out of order for a container this short: its StartedAt is taken after conmon saw the exit)
        assertThat(Instant.parse(ours.get("State").get("FinishedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(ours.get("State").get("StartedAt").asText()));
        // Path and Args: podman shows its init (/run/podman-init -- sh ...); Docker and vessel the command.
        assertThat(ours.get("Path").asText()).isEqualTo("sh");
        for (String field : List.of("Cmd", "WorkingDir", "User", "Labels")) {
            assertThat(ours.get("Config").get(field)).as("Config." + field).isEqualTo(theirs.get("Config").get(field));
        }
        for (JsonNode config : List.of(ours.get("Config"), theirs.get("Config"))) {
            List<String> env = new ArrayList<>();
            config.get("Env").forEach(e -> env.add(e.asText()));
            assertThat(env).contains("A=1", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }
        for (String field : List.of("Memory", "MemorySwap", "NanoCpus", "CpuShares", "ReadonlyRootfs", "Privileged",
                "Init", "NetworkMode", "CapAdd", "CapDrop", "AutoRemove")) {
            assertThat(ours.get("HostConfig").get(field)).as("HostConfig." + field)
                    .isEqualTo(theirs.get("HostConfig").get(field));
        }
    }

    @Test
    void inspectOfARunningThenStoppedContainer() throws Exception {
        assertThat(vessel("run", "-d", "--name", "up", "busybox", "sleep", "300").status()).isZero();
        assertThat(podman.container("run", "-d", "--name", "up", IMAGE, "sleep", "300").status()).isZero();
        JsonNode ours = JSON.readTree(vessel("inspect", "up").out()).get(0).get("State");
        JsonNode theirs = JSON.readTree(podman.run("inspect", "up").out()).get(0).get("State");
        for (String field : List.of("Status", "Running", "Paused", "OOMKilled", "ExitCode")) {
            assertThat(ours.get(field)).as("State." + field).isEqualTo(theirs.get(field));
        }
        assertThat(ours.get("Pid").asInt()).isPositive();
        assertThat(theirs.get("Pid").asInt()).isPositive();
        // sleep as PID 1 ignores SIGTERM: both stop it with SIGKILL after the timeout.
        assertThat(vessel("stop", "-t", "1", "up").status()).isZero();
        assertThat(podman.run("stop", "-t", "1", "up").status()).isZero();
        ours = JSON.readTree(vessel("inspect", "up").out()).get(0).get("State");
        theirs = JSON.readTree(podman.run("inspect", "up").out()).get(0).get("State");
        for (String field : List.of("Status", "Running", "ExitCode", "Pid")) {
            assertThat(ours.get(field)).as("State." + field).isEqualTo(theirs.get(field));
        }
        assertThat(ours.get("ExitCode").asInt()).isEqualTo(137);
    }

    @Test
    void diffLists() throws Exception {
        String script = "echo new > /added; rm /etc/group; mkdir -p /root/sub && echo x > /root/sub/f;"
                + " echo y >> /etc/passwd; rm -r /var/spool; mkdir /tmp/t; touch /bin/true; chmod 700 /home";
        assertThat(VesselProcess.run(root, "run", "--name", "changer", "busybox", "sh", "-c", script).status()).isZero();
        assertThat(podman.container("run", "--name", "changer", IMAGE, "sh", "-c", script).status()).isZero();
        List<String> ours = vessel("diff", "changer").out().lines().toList();
        assertThat(ours).isEqualTo(podman.run("diff", "changer").out().lines().toList());
        assertThat(ours).contains("A /added", "D /etc/group", "C /bin/true", "C /home").doesNotContain("C /bin");
    }

    @Test
    void psColumns() throws Exception {
        assertThat(vessel("run", "-d", "--name", "up", "busybox", "sleep", "300").status()).isZero();
        assertThat(podman.container("run", "-d", "--name", "up", IMAGE, "sleep", "300").status()).isZero();
        assertThat(VesselProcess.run(root, "run", "--name", "done", "busybox", "sh", "-c", "exit 3").status()).isEqualTo(3);
        assertThat(podman.container("run", "--name", "done", IMAGE, "sh", "-c", "exit 3").status()).isEqualTo(3);
        List<String> ours = vessel("ps", "-a").out().lines().toList();
        List<String> theirs = podman.run("ps", "-a").out().lines().toList();
        assertThat(columns(ours.get(0))).isEqualTo(columns(theirs.get(0)))
                .containsExactly("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        assertThat(ours).hasSameSizeAs(theirs);
        for (List<String> table : List.of(ours, theirs)) {
            String up = table.stream().filter(l -> l.endsWith(" up")).findFirst().orElseThrow();
            String done = table.stream().filter(l -> l.endsWith(" done")).findFirst().orElseThrow();
            assertThat(up).matches("[0-9a-f]{12} .* Up .*");
            assertThat(done).matches("[0-9a-f]{12} .* Exited \\(3\\) .* ago .*");
        }
        for (List<String> ids : List.of(vessel("ps", "-q").out().lines().toList(), podman.run("ps", "-q").out().lines().toList())) {
            assertThat(ids).singleElement().asString().matches("[0-9a-f]{12}");
        }
        for (List<String> ids : List.of(vessel("ps", "-aq", "--no-trunc").out().lines().toList(),
                podman.run("ps", "-aq", "--no-trunc").out().lines().toList())) {
            assertThat(ids).hasSize(2).allMatch(id -> id.matches("[0-9a-f]{64}"));
        }
    }

    private static List<String> columns(String header) {
        return List.of(header.strip().split("\\s{2,}"));
    }
}
