package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.cli.CliRun;
import dev.vessel.cli.VesselProcess;
import dev.vessel.engine.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container verbs end to end, as a user types them, against the real kernel. */
class ContainerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Test
    void runPrintsTheContainersOutputAndExitsWithItsStatus() throws Exception {
        VesselProcess hello = VesselProcess.run(root, "run", "--rm", "busybox", "echo", "hello");
        assertThat(hello.out()).isEqualTo("hello\n");
        assertThat(hello.status()).isZero();
        assertThat(VesselProcess.run(root, "run", "--rm", "busybox", "sh", "-c", "exit 42").status()).isEqualTo(42);
        VesselProcess notFound = VesselProcess.run(root, "run", "--rm", "busybox", "no-such-command");
        assertThat(notFound.status()).isEqualTo(127);
        assertThat(notFound.err()).contains("no-such-command");
        VesselProcess notExecutable = VesselProcess.run(root, "run", "--rm", "busybox", "/etc/passwd");
        assertThat(notExecutable.status()).isEqualTo(126);
        assertThat(vessel("ps", "-aq").out()).as("--rm removed them all").isEmpty();
    }

    @Test
    void runFlagsReachTheContainer() throws Exception {
        Files.writeString(root.resolve("env.list"), "# comment\nFROM_FILE=yes\n");
        VesselProcess run = VesselProcess.run(root, "run", "--rm", "-e", "A=1", "--env-file",
                root.resolve("env.list").toString(), "-w", "/tmp", "-u", "nobody", "-h", "boxhost",
                "--read-only", "--tmpfs", "/scratch", "--cap-drop", "ALL", "--ulimit", "nofile=100:200",
                "--pids-limit", "64", "-m", "64m", "--label", "team=core",
                "busybox", "sh", "-c", "echo $A $FROM_FILE; pwd; id -u; hostname; ulimit -n;"
                        + " touch /x 2>/dev/null || echo ro; touch /scratch/ok && echo tmpfs;"
                        + " grep CapEff /proc/self/status; cat /sys/fs/cgroup/pids/pids.max 2>/dev/null"
                        + " || cat /sys/fs/cgroup/pids.max");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly("1 yes", "/tmp", "65534", "boxhost", "100", "ro", "tmpfs",
                "CapEff:\t0000000000000000", "64");
    }

    @Test
    void detachedContainerLifecycle() throws Exception {
        VesselProcess started = VesselProcess.run(root, "run", "-d", "--name", "web", "busybox", "sh", "-c",
                "echo ready; trap 'echo bye; exit 3' TERM; while true; do sleep 0.1; done");
        assertThat(started.status()).as(started.err()).isZero();
        String id = started.out().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(vessel("ps").out()).contains(id.substring(0, 12)).contains("web").contains("Up ");
        JsonNode ps = JSON.readTree(vessel("ps", "--format", "json").out());
        assertThat(ps.get("State").asText()).isEqualTo("running");
        assertThat(vessel("pause", "web").status()).isZero();
        assertThat(JSON.readTree(vessel("inspect", "web").out()).get(0).get("State").get("Status").asText())
                .isEqualTo("paused");
        assertThat(vessel("unpause", "web").status()).isZero();
        assertThat(vessel("stop", "-t", "10", "web").out()).isEqualTo("web\n");
        JsonNode inspect = JSON.readTree(vessel("inspect", "web").out()).get(0);
        assertThat(inspect.get("State").get("Status").asText()).isEqualTo("exited");
        assertThat(inspect.get("State").get("ExitCode").asInt()).isEqualTo(3);
        assertThat(inspect.get("Name").asText()).isEqualTo("/web");
        assertThat(inspect.get("Config").get("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(inspect.get("GraphDriver").get("Data").get("UpperDir").asText()).endsWith("/upper");
        VesselProcess logs = VesselProcess.run(root, "logs", "web");
        assertThat(logs.out()).isEqualTo("ready\nbye\n");
        assertThat(vessel("logs", "--tail", "1", "web").out()).isEqualTo("bye\n");
        assertThat(vessel("ps", "-a", "--filter", "exited=3", "-q").out().strip()).isEqualTo(id.substring(0, 12));
        assertThat(vessel("wait", "web").out()).isEqualTo("3\n");
        assertThat(vessel("rename", "web", "web2").status()).isZero();
        assertThat(vessel("rm", "web2").status()).isZero();
        assertThat(vessel("ps", "-aq").out()).isEmpty();
    }

    @Test
    void mistakesAreOneLineErrors() throws Exception {
        CliRun unknownImage = vessel("run", "--pull", "never", "no-such-image");
        assertThat(unknownImage.status()).isEqualTo(125);
        assertThat(unknownImage.err().strip()).isEqualTo("vessel: No such image: no-such-image");
        CliRun unreachable = vessel("run", "no-such-image");
        assertThat(unreachable.status()).isEqualTo(125);
        assertThat(unreachable.err()).startsWith("Unable to find image 'no-such-image' locally");
        CliRun unknownContainer = vessel("rm", "ghost");
        assertThat(unknownContainer.status()).isEqualTo(1);
        assertThat(unknownContainer.err().strip()).isEqualTo("Error response from daemon: No such container: ghost");
        CliRun badFlag = vessel("run", "--memory", "lots", "busybox");
        assertThat(badFlag.status()).isEqualTo(125);
        assertThat(badFlag.err()).contains("invalid size 'lots'");
        vessel("create", "--name", "taken", "busybox");
        CliRun conflict = vessel("create", "--name", "taken", "busybox");
        assertThat(conflict.status()).isEqualTo(125);
        assertThat(conflict.err()).contains("Conflict. The container name \"/taken\" is already in use");
    }

    @Test
    void diffAndCommitMakeAStandardLayerWithWhiteouts() throws Exception {
        VesselProcess changed = VesselProcess.run(root, "run", "--name", "changer", "busybox", "sh", "-c",
                "echo new > /added; rm /etc/group; mkdir -p /root/sub && echo x > /root/sub/f");
        assertThat(changed.status()).as(changed.err()).isZero();
        assertThat(vessel("diff", "changer").out().lines()).containsExactly(
                "A /added", "C /etc", "D /etc/group", "C /root", "A /root/sub", "A /root/sub/f");
        CliRun commit = vessel("commit", "-m", "my change", "changer", "localhost/changed:1");
        assertThat(commit.status()).as(commit.err()).isZero();
        assertThat(commit.out().strip()).startsWith("sha256:");
        VesselProcess check = VesselProcess.run(root, "run", "--rm", "localhost/changed:1", "sh", "-c",
                "cat /added; test -e /etc/group || echo gone; cat /root/sub/f");
        assertThat(check.out()).isEqualTo("new\ngone\nx\n");
        assertThat(vessel("history", "localhost/changed:1").out()).contains("my change");
        Path archive = root.resolve("changed.tar");
        assertThat(vessel("save", "-o", archive.toString(), "localhost/changed:1").status()).isZero();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed");
        Process skopeo = new ProcessBuilder("skopeo", "inspect", "docker-archive:" + archive).redirectErrorStream(true).start();
        String inspected = new String(skopeo.getInputStream().readAllBytes());
        assertThat(skopeo.waitFor()).as(inspected).isZero();
        assertThat(JSON.readTree(inspected).get("Layers")).hasSize(2);
    }

    @Test
    void commitKeepsBinaryXattrValuesByteForByte() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci"))
                && Files.isExecutable(Path.of("/usr/bin/skopeo")), "umoci or skopeo is not installed");
        byte[] binary = {(byte) 0xff, 0x00, 0x41, (byte) 0xc3, 0x28, (byte) 0x80};
        VesselProcess made = VesselProcess.run(root, "run", "--name", "attrs", "busybox", "sh", "-c", "echo data > /tagged");
        assertThat(made.status()).as(made.err()).isZero();
        String id = vessel("inspect", "--format", "{{.Id}}", "attrs").out().strip();
        Path upperFile = root.resolve("containers").resolve(id).resolve("upper").resolve("tagged");
        dev.vessel.os.FileCalls.lsetxattr(upperFile.toString(), "user.binary", binary);
        assertThat(vessel("commit", "attrs", "localhost/attrs:1").status()).isZero();
        // Vessel's own unpacker, through the image store:
        var store = dev.vessel.image.ImageStore.open(root);
        Path ourLayer = store.layerDirectories(store.resolve("localhost/attrs:1")).getLast();
        assertThat(dev.vessel.os.FileCalls.lgetxattr(ourLayer.resolve("tagged").toString(), "user.binary")).isEqualTo(binary);
        // umoci, from the saved archive turned into an OCI layout by skopeo:
        Path archive = root.resolve("attrs.tar");
        assertThat(vessel("save", "-o", archive.toString(), "localhost/attrs:1").status()).isZero();
        Path layout = root.resolve("layout");
        Path rootfs = root.resolve("umoci-rootfs");
        for (List<String> command : List.of(
                List.of("skopeo", "copy", "-q", "docker-archive:" + archive, "oci:" + layout + ":attrs"),
                List.of("umoci", "raw", "unpack", "--image", layout + ":attrs", rootfs.toString()))) {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
        }
        assertThat(Files.readString(rootfs.resolve("tagged"))).isEqualTo("data\n");
        assertThat(dev.vessel.os.FileCalls.lgetxattr(rootfs.resolve("tagged").toString(), "user.binary")).isEqualTo(binary);
    }

    @Test
    void topStatsAndCpOnARunningContainer() throws Exception {
        VesselProcess started = VesselProcess.run(root, "run", "-d", "--name", "box", "-m", "32m", "busybox",
                "sleep", "300");
        assertThat(started.status()).as(started.err()).isZero();
        assertThat(vessel("top", "box").out()).contains("sleep 300");
        JsonNode stats = JSON.readTree(vessel("stats", "--no-stream", "--format", "json", "box").out());
        assertThat(stats.get("PIDs").asText()).isEqualTo("1");
        assertThat(stats.get("MemLimitBytes").asLong()).isEqualTo(32L << 20);
        assertThat(stats.get("MemUsageBytes").asLong()).isPositive();
        Path local = Files.writeString(root.resolve("note.txt"), "from the host\n");
        assertThat(vessel("cp", local.toString(), "box:/tmp/").status()).isZero();
        CliRun exec = vessel("exec", "box", "cat", "/tmp/note.txt");
        assertThat(exec.status()).as(exec.err()).isZero();
        Path back = root.resolve("back");
        Files.createDirectories(back);
        CliRun copyOut = vessel("cp", "box:/etc/passwd", back.toString());
        assertThat(copyOut.status()).as(copyOut.err()).isZero();
        assertThat(Files.readString(back.resolve("passwd"))).startsWith("root:x:0:0:");
        assertThat(VesselProcess.run(root, "exec", "-u", "nobody", "-e", "X=exec-env", "-w", "/tmp", "box", "sh", "-c",
                "echo $X $(id -u) $(pwd) $(cat note.txt)").out()).isEqualTo("exec-env 65534 /tmp from the host\n");
        assertThat(vessel("rm", "-f", "box").status()).isZero();
    }

    @Test
    void signalsToAForegroundRunReachTheContainer() throws Exception {
        Process run = VesselProcess.start(root, "run", "--name", "fg", "busybox", "sh", "-c",
                "trap 'echo got-term; exit 9' TERM; echo ready; while true; do sleep 0.1; done");
        var output = new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream()));
        assertThat(output.readLine()).isEqualTo("ready");
        run.toHandle().destroy(); // SIGTERM, keeping our end of its output open
        assertThat(output.readLine()).isEqualTo("got-term");
        assertThat(run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(9);
        JsonNode inspect = JSON.readTree(vessel("inspect", "fg").out()).get(0);
        assertThat(inspect.get("State").get("ExitCode").asInt()).isEqualTo(9);
    }

    @Test
    void seccompByDefaultUnconfinedOrFromAFile() throws Exception {
        String probe = "grep Seccomp: /proc/self/status; unshare -U true 2>/dev/null && echo userns-allowed || echo userns-denied";
        assertThat(VesselProcess.run(root, "run", "--rm", "busybox", "sh", "-c", probe).out().lines())
                .containsExactly("Seccomp:\t2", "userns-denied");
        assertThat(VesselProcess.run(root, "run", "--rm", "--security-opt", "seccomp=unconfined", "busybox", "sh", "-c",
                probe).out().lines()).containsExactly("Seccomp:\t0", "userns-allowed");
        Path profile = Files.writeString(root.resolve("profile.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                              {"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}
                """);
        VesselProcess denied = VesselProcess.run(root, "run", "--rm", "--security-opt", "seccomp=" + profile, "busybox",
                "sh", "-c", "mkdir /tmp/x 2>&1; echo status=$?; touch /tmp/y && echo touched");
        assertThat(denied.out()).contains("Operation not permitted").contains("status=1").contains("touched");
    }
}
