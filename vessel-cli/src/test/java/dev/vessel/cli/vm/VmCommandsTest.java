package dev.vessel.cli.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.cli.CliRun;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.Disks;
import dev.vessel.vm.boot.GuestInit;
import dev.vessel.vm.boot.GuestRootfs;
import dev.vessel.vm.host.QemuBinary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real guests under QEMU (TCG here, KVM where it works). Boots are expensive, so two linked
 * clones of one template boot once and the tests run in order on them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOOT = Duration.ofSeconds(180);

    private Path root;
    private Path base;
    private String baseDigest;
    private GuestConsole consoleA;
    private GuestConsole consoleB;
    private final List<Path> cgroupsOfA = new ArrayList<>();

    @BeforeAll
    void makeTemplate() throws Exception {
        assumeTrue(QemuBinary.available(), "qemu-system-x86_64 not installed (Debian: qemu-system-x86)");
        assumeTrue(Files.isRegularFile(Path.of("/bin/busybox")), "no static busybox (Debian: busybox-static)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mke2fs")) || Files.isExecutable(Path.of("/sbin/mke2fs")),
                "no mke2fs (Debian: e2fsprogs)");
        assumeTrue(hasHostKernel(), "no /boot/vmlinuz-* with /lib/modules (Debian: linux-image-amd64)");
        root = Files.createTempDirectory("vessel-vm-test");
        Path raw = root.resolve("rootfs.raw");
        GuestRootfs.writeExt4(raw, 64L << 20, Map.of("/hello.txt", "hello from the template\n"), root);
        ok("vm", "template", "create", "tpl", "--disk", raw.toString());
        base = root.resolve("vm-templates/tpl/base.qcow2");
        baseDigest = sha256(base);
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (consoleA != null) {
            consoleA.close();
        }
        if (consoleB != null) {
            consoleB.close();
        }
        if (root == null) {
            return;
        }
        for (String name : List.of("a", "b", "intruder", "bad", "c", "sized", "k")) {
            killQemu(name);
            vessel("vm", "rm", "-f", name);
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void twoLinkedClonesOfATemplateBootAndSeeItsDisk() throws Exception {
        ok("vm", "create", "a", "--from", "tpl", "--memory", "256M");
        ok("vm", "create", "b", "--from", "tpl", "--memory", "256M", "--cpus", "1");
        ok("vm", "start", "a");
        ok("vm", "start", "b");
        consoleA = new GuestConsole(root.resolve("vms/a"));
        consoleB = new GuestConsole(root.resolve("vms/b"));
        consoleA.await(GuestInit.MARKER, BOOT);
        consoleB.await(GuestInit.MARKER, BOOT);

        JsonNode list = JSON.readTree(ok("vm", "ls", "--format", "json").out());
        assertThat(list.findValuesAsText("Name")).contains("a", "b");
        for (JsonNode vm : list) {
            assertThat(vm.get("State").asText()).isEqualTo("running");
            assertThat(vm.get("Accelerator").asText()).isIn("kvm", "tcg");
        }
        assertThat(ok("vm", "logs", "a").out()).contains(GuestInit.MARKER);
        // QEMU runs in the VM's own cgroups (under ours), which go away when it stops.
        JsonNode inspect = JSON.readTree(ok("vm", "inspect", "a").out()).get(0);
        for (JsonNode cgroup : inspect.get("Cgroups")) {
            assertThat(Path.of(cgroup.asText()).startsWith(Path.of("/sys/fs/cgroup"))).isTrue();
            assertThat(Files.readString(Path.of(cgroup.asText(), "cgroup.procs")))
                    .contains(Long.toString(inspect.get("Pid").asLong()));
            cgroupsOfA.add(Path.of(cgroup.asText()));
        }

        consoleA.run("cat /hello.txt; echo A$((40+2))", "A42");
        assertThat(consoleA.log()).contains("hello from the template");
        // Each clone writes; each sees only its own write.
        consoleA.run("echo mine > /only-a; sync; echo W$((1+1))a", "W2a");
        consoleB.run("echo mine > /only-b; sync; echo W$((1+1))b", "W2b");
        consoleA.run("[ -e /only-b ] || echo NOB$((0+1)); [ -e /only-a ] && echo HASA$((0+1))", "HASA1");
        assertThat(consoleA.log()).contains("NOB1");
        consoleB.run("[ -e /only-a ] || echo NOA$((0+1)); [ -e /only-b ] && echo HASB$((0+1))", "HASB1");
        assertThat(consoleB.log()).contains("NOA1");
        assertThat(sha256(base)).as("template base unchanged").isEqualTo(baseDigest);
    }

    @Test
    @Order(2)
    void pauseStopsTheGuestAndResumeContinuesIt() throws Exception {
        ok("vm", "pause", "a");
        assertThat(state("a")).isEqualTo("paused");
        consoleA.type("echo P$((20+2))");
        Thread.sleep(3000); // the guest cannot run while paused: nothing may appear meanwhile
        assertThat(consoleA.log()).doesNotContain("P22");
        ok("vm", "resume", "a");
        assertThat(state("a")).isEqualTo("running");
        consoleA.await("P22", Duration.ofSeconds(60));
    }

    @Test
    @Order(3)
    void aDiskHeldByARunningVmIsRefused() throws Exception {
        String diskOfA = root.resolve("vms/a/disk0.qcow2").toString();
        ok("vm", "create", "intruder", "--disk", diskOfA);
        CliRun run = vessel("vm", "start", "intruder");
        assertThat(run.status()).isEqualTo(125);
        assertThat(run.err().strip()).isEqualTo("vessel: cannot start intruder: disk " + diskOfA
                + " is in use by running VM a");
        assertThat(state("intruder")).isEqualTo("created");
        assertThat(Files.exists(root.resolve("vms/intruder/qemu.pid"))).isFalse();
        ok("vm", "rm", "intruder");
    }

    @Test
    @Order(4)
    void runningSnapshotRevertRestoresRamAndDisk() throws Exception {
        consoleA.run("echo one > /f1; sync; echo S$((1+1))1", "S21");
        ok("vm", "snapshot", "create", "a", "s1");
        consoleA.run("echo two > /f2; sync; echo S$((1+1))2", "S22");
        ok("vm", "snapshot", "revert", "a", "s1");
        assertThat(state("a")).isEqualTo("running");
        consoleA.run("[ -e /f1 ] && echo F1$((0+1)); [ -e /f2 ] || echo NOF2$((0+1))", "NOF21");
        assertThat(consoleA.log()).contains("F11");
        assertThat(ok("vm", "snapshot", "list", "a").out()).containsPattern("s1\\s+disk\\+ram");
        CliRun unknown = vessel("vm", "snapshot", "revert", "a", "nope");
        assertThat(unknown.status()).isEqualTo(125);
        assertThat(unknown.err().strip()).isEqualTo("vessel: VM a has no snapshot named nope");
    }

    @Test
    @Order(5)
    void killedQemuShowsStoppedWithItsExit() throws Exception {
        long pid = JSON.readTree(ok("vm", "inspect", "b").out()).get(0).get("Pid").asLong();
        assertThat(pid).isPositive();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        JsonNode b = find(JSON.readTree(ok("vm", "ls", "--format", "json").out()), "b");
        assertThat(b.get("State").asText()).isEqualTo("stopped");
        assertThat(b.get("ExitCode").asInt()).isEqualTo(137);
        JsonNode inspect = JSON.readTree(ok("vm", "inspect", "b").out()).get(0);
        assertThat(inspect.get("ExitReason").asText()).isEqualTo("QEMU was killed by signal 9");
        assertThat(inspect.get("Pid").asLong()).isZero();
    }

    @Test
    @Order(6)
    void stopPowersDownAndDiskSnapshotsWorkWhileStopped() throws Exception {
        long pid = JSON.readTree(ok("vm", "inspect", "a").out()).get(0).get("Pid").asLong();
        ok("vm", "stop", "-t", "60", "a");
        JsonNode a = JSON.readTree(ok("vm", "inspect", "a").out()).get(0);
        assertThat(a.get("State").asText()).isEqualTo("stopped");
        assertThat(a.get("ExitCode").asInt()).isZero();
        assertThat(a.get("ExitReason").asText()).isEqualTo("stopped by vessel vm stop");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        for (Path cgroup : cgroupsOfA) {
            assertThat(cgroup).doesNotExist();
        }

        Path disk = root.resolve("vms/a/disk0.qcow2");
        byte[] before = read(disk);
        ok("vm", "snapshot", "create", "a", "d1");
        try (BlockDevice device = Disks.open(disk, true)) {
            byte[] junk = new byte[4096];
            java.util.Arrays.fill(junk, (byte) 0xAB);
            device.write(0, junk, 0, junk.length);
            device.flush();
        }
        assertThat(read(disk)).isNotEqualTo(before);
        ok("vm", "snapshot", "revert", "a", "d1");
        assertThat(read(disk)).isEqualTo(before);
        // QEMU's own tool sees both snapshots, the running one with its RAM state.
        String qemuList = exec("qemu-img", "snapshot", "-l", "-U", disk.toString());
        assertThat(qemuList).contains("s1").contains("d1");
        assertThat(ok("vm", "snapshot", "list", "a").out()).containsPattern("d1\\s+disk\\s");
        ok("vm", "snapshot", "delete", "a", "d1");
        assertThat(ok("vm", "snapshot", "list", "a").out()).doesNotContain("d1");
        assertThat(sha256(base)).isEqualTo(baseDigest);
    }

    @Test
    @Order(7)
    void qemuDyingAtStartIsReportedAndLeavesNothing() throws Exception {
        Path notAKernel = root.resolve("not-a-kernel");
        Files.writeString(notAKernel, "this is not a kernel\n");
        ok("vm", "create", "bad", "--kernel", notAKernel.toString());
        CliRun run = vessel("vm", "start", "bad");
        assertThat(run.status()).isEqualTo(125);
        assertThat(run.err().lines().count()).isEqualTo(1);
        assertThat(run.err()).startsWith("vessel: cannot start bad: QEMU exited with status 1: ");
        assertThat(state("bad")).isEqualTo("created");
        assertThat(Files.exists(root.resolve("vms/bad/qmp.sock"))).isFalse();
        ok("vm", "rm", "bad");

        CliRun missing = vessel("vm", "create", "c", "--kernel", root.resolve("absent").toString());
        assertThat(missing.err().strip()).isEqualTo("vessel: kernel " + root.resolve("absent") + " does not exist");
        CliRun noTemplate = vessel("vm", "create", "c", "--from", "nope");
        assertThat(noTemplate.err().strip()).isEqualTo("vessel: no such template: nope");
        assertThat(Files.exists(root.resolve("vms/c"))).isFalse();

        ok("vm", "create", "sized", "--disk", "1G", "--disk", "64M");
        String info = exec("qemu-img", "info", "--output", "json", root.resolve("vms/sized/disk0.qcow2").toString());
        assertThat(JSON.readTree(info).get("virtual-size").asLong()).isEqualTo(1L << 30);
        assertThat(JSON.readTree(info).get("format").asText()).isEqualTo("qcow2");
        exec("qemu-img", "check", root.resolve("vms/sized/disk1.qcow2").toString());
        ok("vm", "rm", "sized");
        assertThat(Files.exists(root.resolve("vms/sized"))).isFalse();
    }

    @Test
    @Order(8)
    void cloneTemplateInUseAndRemove() throws Exception {
        ok("vm", "template", "create", "froma", "--from-vm", "a");
        Path frozen = root.resolve("vm-templates/froma/base.qcow2");
        assertThat(Disks.info(frozen).fullBackingFile()).isNull();
        exec("qemu-img", "compare", "-U", root.resolve("vms/a/disk0.qcow2").toString(), frozen.toString());
        assertThat(ok("vm", "template", "ls").out()).contains("froma").contains("tpl");
        ok("vm", "template", "rm", "froma");

        ok("vm", "clone", "a", "c");
        assertThat(Disks.info(root.resolve("vms/c/disk0.qcow2")).fullBackingFile())
                .isEqualTo(Disks.info(root.resolve("vms/a/disk0.qcow2")).fullBackingFile());
        CliRun inUse = vessel("vm", "template", "rm", "tpl");
        assertThat(inUse.status()).isEqualTo(125);
        assertThat(inUse.err()).contains("template tpl is in use by VMs a, b, c");
        ok("vm", "rm", "a", "b", "c");
        assertThat(Files.exists(root.resolve("vms/a"))).isFalse();
        assertThat(ok("vm", "ls", "--format", "json").out().strip()).isEqualTo("[ ]");
        try (var layers = Files.list(root.resolve("vm-layers"))) {
            assertThat(layers.toList()).isEmpty();
        }
        assertThat(sha256(base)).isEqualTo(baseDigest);
        ok("vm", "template", "rm", "tpl");
        assertThat(Files.exists(base)).isFalse();
    }

    @Test
    @Order(9)
    void sigkillToTheCliDuringStartLeavesAConsistentState() throws Exception {
        ok("vm", "create", "k", "--memory", "128M", "--nic", "user");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process cli = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.vessel.cli.Vessel", "--root", root.toString(),
                "vm", "start", "k").redirectErrorStream(true).start();
        Path pidFile = root.resolve("vms/k/qemu.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.exists(pidFile) && cli.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        cli.destroyForcibly(); // SIGKILL, at the latest moment the CLI can be caught in
        cli.waitFor();
        assertThat(pidFile).exists();
        long qemuPid = Long.parseLong(Files.readString(pidFile).strip());
        // Whether the CLI recorded it or not, the running QEMU is the VM's, and it can be stopped.
        JsonNode k = find(JSON.readTree(ok("vm", "ls", "--format", "json").out()), "k");
        assertThat(k.get("State").asText()).isEqualTo("running");
        assertThat(k.get("Pid").asLong()).isEqualTo(qemuPid);
        assertThat(Files.readString(Path.of("/proc/" + qemuPid + "/cmdline")).replace('\0', ' '))
                .contains("-netdev user,id=net0").contains("virtio-net-pci");
        ok("vm", "stop", "--force", "k");
        assertThat(state("k")).isEqualTo("stopped");
        assertThat(ProcessHandle.of(qemuPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        ok("vm", "rm", "k");
    }

    // ---------------------------------------------------------------- helpers

    private CliRun vessel(String... args) {
        return CliRun.in(root, args);
    }

    private CliRun ok(String... args) {
        CliRun run = vessel(args);
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    private String state(String name) throws IOException {
        return JSON.readTree(ok("vm", "inspect", name).out()).get(0).get("State").asText();
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode vm : list) {
            if (vm.get("Name").asText().equals(name)) {
                return vm;
            }
        }
        throw new AssertionError("no VM " + name + " in " + list);
    }

    private void killQemu(String name) {
        try {
            Path pidFile = root.resolve("vms/" + name + "/qemu.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException ignored) {
            // nothing to kill
        }
    }

    private static byte[] read(Path disk) throws IOException {
        try (BlockDevice device = Disks.open(disk, false)) {
            byte[] bytes = new byte[8192];
            device.read(0, bytes, 0, bytes.length);
            return bytes;
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String exec(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean hasHostKernel() {
        try {
            dev.vessel.vm.boot.GuestAssets.hostRelease(Path.of("/boot"), Path.of("/lib/modules"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
