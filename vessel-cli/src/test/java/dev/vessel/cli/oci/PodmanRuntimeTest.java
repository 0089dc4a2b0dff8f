package dev.vessel.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.cli.VesselProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vessel as podman's OCI runtime, through the runc-named wrapper (contrib/runc-wrapper/runc):
 * podman and conmon drive `vessel oci` create/start/exec/kill/delete as they drive runc.
 */
class PodmanRuntimeTest {
    static final Path WRAPPER = Path.of("").toAbsolutePath().getParent().resolve("contrib/runc-wrapper/runc");

    @TempDir
    Path tmp;

    /** The cgroup podman puts conmon and the containers under: inside this JVM's own cgroup in every hierarchy. */
    String cgroupParent;
    final List<Path> cgroupsToRemove = new ArrayList<>();
    Path calls;
    List<String> podman;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")), "needs podman (Debian's package)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/conmon")), "needs conmon");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox");
        assertThat(WRAPPER).isExecutable();
        cgroupParent = ownDeepestCgroup() + "/vessel-podman-" + ProcessHandle.current().pid();
        rememberCgroupsToRemove();

        // The shipped wrapper, with a `vessel` beside it that runs this build's classes (and logs its arguments).
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.copy(WRAPPER, bin.resolve("runc"));
        calls = tmp.resolve("calls.log");
        String launcher = "#!/bin/sh\necho \"$*\" >> " + calls + "\nexec "
                + String.join(" ", VesselProcess.commandLine(tmp.resolve("unused-root")).stream()
                        .filter(a -> !a.equals("--root") && !a.endsWith("unused-root")).map(PodmanRuntimeTest::quote).toList())
                + " \"$@\"\n";
        Files.writeString(bin.resolve("vessel"), launcher);
        Files.setPosixFilePermissions(bin.resolve("vessel"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin.resolve("runc"), PosixFilePermissions.fromString("rwxr-xr-x"));

        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
        for (String applet : List.of("sh", "echo", "cat", "hostname", "sleep", "tty", "true")) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        for (String dir : List.of("proc", "sys", "dev", "etc", "tmp")) {
            Files.createDirectories(tmp.resolve("rootfs").resolve(dir));
        }
        Files.writeString(tmp.resolve("rootfs/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(tmp.resolve("rootfs/etc/group"), "root:x:0:\n");
        Files.writeString(tmp.resolve("containers.conf"),
                "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n");

        podman = List.of("podman", "--root", tmp.resolve("storage").toString(), "--runroot", tmp.resolve("run").toString(),
                "--tmpdir", tmp.resolve("libpod").toString(), "--events-backend", "none",
                "--cgroup-manager", "cgroupfs", "--runtime", bin.resolve("runc").toString(),
                // (no --runtime-flag root=: podman's cleanup after `run --rm` calls delete without its runtime flags)
                "--runtime-flag", "cgroup-root=" + cgroupParent);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (podman != null) {
            podman("rm", "--force", "--all");
        }
        // podman's storage driver leaves a private bind mount of its overlay directory
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")).reversed()) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(tmp + "/")) {
                new ProcessBuilder("umount", "-l", mountPoint).inheritIO().start().waitFor();
            }
        }
        // deepest first: the containers' and conmon's cgroups, then the parent and what podman made above it
        cgroupsToRemove.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path dir : cgroupsToRemove) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> children = Files.list(dir)) {
                    for (Path child : children.filter(Files::isDirectory).toList()) {
                        removeCgroup(child);
                    }
                }
                removeCgroup(dir);
            }
        }
    }

    private static void removeCgroup(Path dir) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                return; // someone else's cgroups below it: not ours to remove
            } catch (IOException e) {
                Thread.sleep(50); // busy: conmon may still be exiting
            }
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** This JVM's cgroup path that every hierarchy's own cgroup contains (so podman's cgroupfs paths stay inside). */
    private static String ownDeepestCgroup() throws IOException {
        List<String> paths = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().map(l -> l.split(":", 3)[2]).toList();
        String deepest = paths.stream().max(Comparator.comparingInt(String::length)).orElse("/");
        for (String p : paths) {
            Assumptions.assumeTrue(p.equals("/") || deepest.equals(p) || deepest.startsWith(p + "/"),
                    "this process's cgroups are not nested across hierarchies: " + paths);
        }
        return deepest.equals("/") ? "" : deepest;
    }

    /** Each hierarchy's directories on the way to the cgroup parent that do not exist yet: podman makes them. */
    private void rememberCgroupsToRemove() throws IOException {
        try (Stream<Path> mounts = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path mount : mounts.filter(Files::isDirectory).toList()) {
                Path dir = mount.resolve(cgroupParent.substring(1));
                for (Path p = dir; p.startsWith(mount) && !p.equals(mount) && !Files.exists(p); p = p.getParent()) {
                    cgroupsToRemove.add(p);
                }
            }
        }
    }

    record Result(int status, String out, String err) {
    }

    private Result podman(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(podman);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("CONTAINERS_CONF", tmp.resolve("containers.conf").toString());
        Path out = tmp.resolve("podman.out");
        Path err = tmp.resolve("podman.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("podman " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<Path> containerCgroups() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> mounts = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path mount : mounts.filter(Files::isDirectory).toList()) {
                Path parent = mount.resolve(cgroupParent.substring(1));
                if (Files.isDirectory(parent)) {
                    try (Stream<Path> children = Files.list(parent)) {
                        children.filter(c -> c.getFileName().toString().startsWith("libpod-")).forEach(found::add);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void podmanRunsABusyboxContainerWithVesselAsItsRuntime() throws Exception {
        Result run = podman("run", "--rm", "--network", "none", "--hostname", "vessel-podman",
                "--cgroup-parent", cgroupParent, "--rootfs", tmp.resolve("rootfs").toString(),
                "sh", "-c", "echo hello from $(hostname) as pid $$; exit 7");
        assertThat(run.status()).as(run.err()).isEqualTo(7);
        assertThat(run.out()).isEqualTo("hello from vessel-podman as pid 1\n");
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines).as("vessel oci did the work")
                .anyMatch(l -> l.matches("oci .*--log \\S+/oci-log .*create --bundle \\S+ --pid-file \\S+ \\S+"))
                .anyMatch(l -> l.matches("oci (.* )?start \\S+"))
                .anyMatch(l -> l.matches("oci (.* )?delete --force \\S+"));
        assertThat(Files.readString(calls)).contains("--cgroup-root=" + cgroupParent);
        assertThat(containerCgroups()).as("delete removed the container's cgroups").isEmpty();
        String id = lines.stream().filter(l -> l.contains(" start ")).findFirst().orElseThrow().replaceAll(".* ", "");
        assertThat(Path.of("/run/vessel/oci", id)).as("no container state left").doesNotExist();

        Result missing = podman("run", "--rm", "--network", "none", "--cgroup-parent", cgroupParent,
                "--rootfs", tmp.resolve("rootfs").toString(), "no-such-program");
        assertThat(missing.status()).isEqualTo(127);
        assertThat(missing.err()).contains("no-such-program").contains("not found");
    }

    @Test
    void podmanExecWithAndWithoutATerminalStopAndRm() throws Exception {
        Result started = podman("run", "-d", "--name", "vessel-exec", "--network", "none", "--cgroup-parent", cgroupParent,
                "--rootfs", tmp.resolve("rootfs").toString(), "sleep", "1000");
        assertThat(started.status()).as(started.err()).isZero();
        Result exec = podman("exec", "vessel-exec", "sh", "-c", "echo in exec; exit 4");
        assertThat(exec.status()).as(exec.err()).isEqualTo(4);
        assertThat(exec.out()).isEqualTo("in exec\n");
        Result tty = podman("exec", "-t", "vessel-exec", "tty");
        assertThat(tty.status()).as(tty.err()).isZero();
        assertThat(tty.out()).startsWith("/dev/pts/");
        assertThat(Files.readString(calls)).contains("exec ").contains("--detach").contains("--console-socket");
        assertThat(podman("stop", "-t", "1", "vessel-exec").status()).isZero();
        assertThat(podman("rm", "vessel-exec").status()).isZero();
        assertThat(containerCgroups()).isEmpty();
    }
}
