package dev.vessel.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.runtime.state.ContainerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create / start / state / kill / pause / resume / delete, hooks, and exit statuses, against the real kernel. */
class LifecycleTest {
    static final String WAITER = "trap 'echo HUP >> /tmp/signals' HUP; trap 'echo USR1 >> /tmp/signals' USR1;"
            + " trap 'exit 3' TERM; echo ready > /tmp/ready; while :; do sleep 0.05; done";

    /** Container IDs name cgroups: unique per test JVM, so parallel runs cannot collide. */
    static final String S = "-" + ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    Path bundle;
    Path root;
    OciRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        Bundles.assumeRoot();
        bundle = Bundles.create(tmp.resolve("bundle"));
        ObjectNode config = Bundles.config(bundle);
        ((ObjectNode) config.get("root")).put("readonly", false);
        Bundles.write(bundle, config);
        root = tmp.resolve("state");
        runtime = new OciRuntime(root);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (runtime != null) {
            for (ContainerState s : runtime.list()) {
                runtime.delete(s.id(), true);
            }
        }
    }

    private ContainerState create(String id) throws IOException {
        Path log = tmp.resolve(id + ".log");
        Files.writeString(log, "");
        ProcessBuilder.Redirect file = ProcessBuilder.Redirect.appendTo(log.toFile());
        return runtime.create(id, bundle, new OciRuntime.CreateOptions(tmp.resolve(id + ".pid"), null,
                new ProcessBuilder.Redirect[] {null, file, file}));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("waited for " + what).isTrue();
    }

    private String status(String id) {
        try {
            return runtime.state(id).status();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void fullLifecycleWithSignalsAndFreezer() throws Exception {
        Bundles.args(bundle, "sh", "-c", WAITER);
        ContainerState created = create(("life" + S));
        assertThat(created.status()).isEqualTo("created");
        assertThat(created.pid()).isPositive();
        assertThat(Files.readString(tmp.resolve("life" + S + ".pid"))).isEqualTo(Integer.toString(created.pid()));
        assertThat(Files.exists(bundle.resolve("rootfs/tmp/ready"))).as("the program must not run before start").isFalse();
        assertThat(runtime.list()).extracting(ContainerState::id).containsExactly(("life" + S));

        runtime.start(("life" + S));
        assertThat(status(("life" + S))).isEqualTo("running");
        await("the program to run", () -> Files.exists(bundle.resolve("rootfs/tmp/ready")));
        assertThatThrownBy(() -> runtime.start(("life" + S))).hasMessageContaining("running");

        runtime.kill(("life" + S), Signals.parse("HUP"), false);
        await("HUP", () -> read(bundle.resolve("rootfs/tmp/signals")).contains("HUP"));
        runtime.kill(("life" + S), Signals.parse("SIGUSR1"), false);
        await("USR1", () -> read(bundle.resolve("rootfs/tmp/signals")).contains("USR1"));

        runtime.pause(("life" + S));
        assertThat(status(("life" + S))).isEqualTo("paused");
        runtime.resume(("life" + S));
        assertThat(status(("life" + S))).isEqualTo("running");

        assertThatThrownBy(() -> runtime.delete(("life" + S), false)).hasMessageContaining("running");
        List<Path> cgroups = runtime.state(("life" + S)).cgroups().stream().map(Path::of).toList();
        assertThat(cgroups).allMatch(Files::isDirectory);

        runtime.kill(("life" + S), Signals.parse("TERM"), false);
        await("the container to stop", () -> status(("life" + S)).equals("stopped"));
        runtime.delete(("life" + S), false);
        assertThat(Files.exists(root.resolve(("life" + S)))).isFalse();
        assertThat(cgroups).noneMatch(Files::exists);
        assertThatThrownBy(() -> runtime.state(("life" + S))).hasMessageContaining("does not exist");
    }

    @Test
    void deleteCreatedAndForceDeleteRunning() throws Exception {
        Bundles.args(bundle, "sleep", "1000");
        ContainerState created = create(("del-created" + S));
        runtime.delete(("del-created" + S), false);
        assertThat(ProcStat.startTime(created.pid())).isNegative();

        ContainerState running = create(("del-running" + S));
        runtime.start(("del-running" + S));
        runtime.delete(("del-running" + S), true);
        assertThat(ProcStat.startTime(running.pid())).isNegative();
        assertThat(runtime.list()).isEmpty();
    }

    @Test
    void killKillAndKillAll() throws Exception {
        Bundles.args(bundle, "sh", "-c", "sleep 1000 & sleep 1000; true");
        create(("killall" + S));
        runtime.start(("killall" + S));
        await("two processes", () -> {
            try {
                return runtime.ps(("killall" + S)).size() >= 3;
            } catch (IOException e) {
                return false;
            }
        });
        runtime.kill(("killall" + S), 9, true);
        await("stopped", () -> status(("killall" + S)).equals("stopped"));
        assertThatThrownBy(() -> runtime.kill(("killall" + S), 15, false)).hasMessageContaining("not running");
        runtime.delete(("killall" + S), false);
    }

    @Test
    void exitStatusNotFoundAndNotExecutable() throws Exception {
        Bundles.args(bundle, "sh", "-c", "exit 42");
        assertThat(Bundles.vessel(root, bundle, ("exit42" + S)).status()).isEqualTo(42);

        Bundles.args(bundle, "no-such-program");
        assertThatThrownBy(() -> Bundles.vessel(root, bundle, ("nf" + S)))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.status()).isEqualTo(127))
                .hasMessageContaining("no-such-program");
        Path script = bundle.resolve("rootfs/bin/not-executable");
        Files.writeString(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        Bundles.args(bundle, "/bin/not-executable");
        assertThatThrownBy(() -> Bundles.vessel(root, bundle, ("nx" + S)))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.status()).isEqualTo(126));
        assertThat(runtime.list()).isEmpty();
    }

    @Test
    void domainnameAndNoLeakedDescriptors() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        config.put("domainname", "probe.example");
        Bundles.write(bundle, config);
        Bundles.args(bundle, "sh", "-c", "cat /proc/sys/kernel/domainname; ls /proc/self/fd | tr '\\n' ' '");
        Bundles.Result result = Bundles.vessel(root, bundle, ("dn" + S));
        assertThat(result.output()).isEqualTo("probe.example\n0 1 2 3 ");
    }

    @Test
    void hooksRunInOrderWithTheStateOnStdin() throws Exception {
        Path log = tmp.resolve("hooks.log");
        ObjectNode config = Bundles.config(bundle);
        ObjectNode hooks = config.putObject("hooks");
        for (String phase : List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop")) {
            ArrayNode list = hooks.putArray(phase);
            ObjectNode hook = list.addObject();
            hook.put("path", "/bin/sh");
            hook.putArray("args").add("sh").add("-c")
                    .add("read s; echo " + phase + " $(echo \"$s\" | grep -o '\"status\":\"[a-z]*\"') >> "
                            + (phase.equals("startContainer") ? "/tmp/hooks.log" : log)); // inside: the container's /tmp
        }
        Bundles.write(bundle, config);
        Bundles.args(bundle, "true");
        assertThat(Bundles.vessel(root, bundle, ("hooks" + S)).status()).isZero();
        assertThat(Files.readAllLines(bundle.resolve("rootfs/tmp/hooks.log")))
                .containsExactly("startContainer \"status\":\"created\"");
        assertThat(Files.readAllLines(log)).containsExactly(
                "prestart \"status\":\"created\"", "createRuntime \"status\":\"created\"",
                "createContainer \"status\":\"created\"",
                "poststart \"status\":\"running\"", "poststop \"status\":\"stopped\"");
    }

    /** A hook that records its hostname, mount namespace and what it sees, into FILE. */
    private static ObjectNode probeHook(ArrayNode list, String shell, String file, String extra) {
        ObjectNode hook = list.addObject();
        hook.put("path", shell);
        hook.putArray("args").add("sh").add("-c").add("read s; { hostname; readlink /proc/self/ns/mnt; "
                + "readlink /proc/self/ns/uts; " + extra + "; echo \"$s\" | grep -o '\"pid\":[0-9]*'; } > " + file);
        hook.putArray("env").add("PATH=/bin:/usr/bin");
        return hook;
    }

    @Test
    void createContainerAndStartContainerHooksRunInTheContainer() throws Exception {
        Path createOut = tmp.resolve("create-hook.txt");
        ObjectNode config = Bundles.config(bundle);
        config.put("hostname", "hooked");
        ObjectNode hooks = config.putObject("hooks");
        // createContainer: host paths still resolve (before pivot_root), the container's mounts are there
        probeHook(hooks.putArray("createContainer"), "/bin/sh", createOut.toString(),
                "grep -c ' " + bundle.resolve("rootfs") + "/proc ' /proc/self/mountinfo");
        // startContainer: resolved in the container (its /bin/sh, its /tmp), after pivot_root
        probeHook(hooks.putArray("startContainer"), "/bin/sh", "/tmp/start-hook.txt",
                "test -e /proc/1/root/bin/busybox && test ! -e " + tmp + " && echo rootfs");
        Bundles.write(bundle, config);
        Bundles.args(bundle, "sh", "-c", WAITER);
        String hostMnt = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();

        ContainerState created = create("nshooks" + S);
        String mnt = Files.readSymbolicLink(Path.of("/proc/" + created.pid() + "/ns/mnt")).toString();
        String uts = Files.readSymbolicLink(Path.of("/proc/" + created.pid() + "/ns/uts")).toString();
        assertThat(mnt).isNotEqualTo(hostMnt);
        assertThat(Files.readAllLines(createOut))
                .containsExactly("hooked", mnt, uts, "1", "\"pid\":" + created.pid());

        Path startOut = bundle.resolve("rootfs/tmp/start-hook.txt");
        assertThat(startOut).doesNotExist();
        runtime.start("nshooks" + S);
        await("the program to run", () -> Files.exists(bundle.resolve("rootfs/tmp/ready")));
        assertThat(Files.readAllLines(startOut))
                .containsExactly("hooked", mnt, uts, "rootfs", "\"pid\":" + created.pid());
        runtime.delete("nshooks" + S, true);
    }

    @Test
    void aFailingCreateContainerHookFailsCreateAndLeavesNothing() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        ObjectNode hook = config.putObject("hooks").putArray("createContainer").addObject();
        hook.put("path", "/bin/sh");
        hook.putArray("args").add("sh").add("-c").add("echo inside hook broke >&2; exit 4");
        Bundles.write(bundle, config);
        Bundles.args(bundle, "sleep", "100");
        assertThatThrownBy(() -> create("badcc" + S))
                .hasMessageContaining("hook createContainer[0] /bin/sh failed with exit status 4: inside hook broke");
        assertThat(runtime.list()).isEmpty();
        assertThat(root.resolve("badcc" + S)).doesNotExist();
        assertThat(ownCgroupsNamed("badcc" + S)).isEmpty();
    }

    @Test
    void aSlowHookTimesOut() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        ObjectNode hook = config.putObject("hooks").putArray("createContainer").addObject();
        hook.put("path", "/bin/sleep");
        hook.putArray("args").add("sleep").add("30");
        hook.put("timeout", 1);
        Bundles.write(bundle, config);
        long start = System.nanoTime();
        assertThatThrownBy(() -> create("slowhook" + S)).hasMessageContaining("timed out after 1s");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
        assertThat(runtime.list()).isEmpty();
    }

    @Test
    void aFailingStartContainerHookFailsStartAndRun() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        ObjectNode hook = config.putObject("hooks").putArray("startContainer").addObject();
        hook.put("path", "/bin/sh");
        hook.putArray("args").add("sh").add("-c").add("echo start hook broke; exit 5");
        Bundles.write(bundle, config);
        Bundles.args(bundle, "sh", "-c", "echo ran > /tmp/ran");
        ContainerState created = create("badsc" + S);
        assertThatThrownBy(() -> runtime.start("badsc" + S))
                .hasMessageContaining("hook startContainer[0] /bin/sh failed with exit status 5: start hook broke");
        await("the container to stop", () -> status("badsc" + S).equals("stopped"));
        assertThat(bundle.resolve("rootfs/tmp/ran")).doesNotExist();
        runtime.delete("badsc" + S, false);
        assertThat(ProcStat.startTime(created.pid())).isNegative();

        assertThatThrownBy(() -> Bundles.vessel(root, bundle, "badsc-run" + S))
                .hasMessageContaining("hook startContainer[0] /bin/sh failed with exit status 5");
        assertThat(bundle.resolve("rootfs/tmp/ran")).doesNotExist();
        assertThat(runtime.list()).isEmpty();
    }

    /** The cgroups named ID under this JVM's own cgroup (where a container ID's cgroup goes), in every hierarchy. */
    private static List<Path> ownCgroupsNamed(String id) throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            String name = parts[1].isEmpty() ? "unified" : parts[1].replace("name=", "");
            Path mount = Files.isDirectory(Path.of("/sys/fs/cgroup/unified")) || !parts[1].isEmpty()
                    ? Path.of("/sys/fs/cgroup", name) : Path.of("/sys/fs/cgroup");
            Path dir = mount.resolve(parts[2].substring(1)).resolve(id);
            if (Files.exists(dir)) {
                found.add(dir);
            }
        }
        return found;
    }

    @Test
    void aFailingHookFailsCreateAndLeavesNothing() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        ObjectNode hook = config.putObject("hooks").putArray("createRuntime").addObject();
        hook.put("path", "/bin/sh");
        hook.putArray("args").add("sh").add("-c").add("echo broken hook >&2; exit 3");
        Bundles.write(bundle, config);
        Bundles.args(bundle, "sleep", "100");
        assertThatThrownBy(() -> create(("badhook" + S))).hasMessageContaining("createRuntime").hasMessageContaining("broken hook");
        assertThat(runtime.list()).isEmpty();
        assertThat(Files.exists(root.resolve(("badhook" + S)))).isFalse();
    }

    @Test
    void execJoinsTheContainer() throws Exception {
        Bundles.args(bundle, "sh", "-c", WAITER);
        ObjectNode config = Bundles.config(bundle);
        config.put("hostname", "exec-host");
        Bundles.write(bundle, config);
        create(("ex" + S));
        runtime.start(("ex" + S));
        await("ready", () -> Files.exists(bundle.resolve("rootfs/tmp/ready")));
        Path out = tmp.resolve("exec.out");
        Files.writeString(out, "");
        ProcessBuilder.Redirect file = ProcessBuilder.Redirect.appendTo(out.toFile());
        dev.vessel.runtime.spec.Spec.Process p = new dev.vessel.runtime.spec.Spec.Process(false, null,
                List.of("sh", "-c", "hostname; cat /tmp/ready; echo $$; exit 5"), List.of("PATH=/bin"), "/", null,
                null, null, null, null, null);
        int status = runtime.exec(("ex" + S), p, new ProcessBuilder.Redirect[] {null, file, file}, null);
        assertThat(status).isEqualTo(5);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.subList(0, 2)).containsExactly("exec-host", "ready");
        assertThat(Integer.parseInt(lines.get(2))).isGreaterThan(1);
        runtime.delete(("ex" + S), true);
    }

    @Test
    void terminalPtyGoesOverTheConsoleSocket() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python), "needs python3 as the console-socket peer");
        Path receiver = tmp.resolve("receiver.py");
        try (var in = LifecycleTest.class.getResourceAsStream("/console-receiver.py")) {
            Files.copy(in, receiver);
        }
        Path socket = tmp.resolve("console.sock");
        Process peer = new ProcessBuilder(python.toString(), receiver.toString(), socket.toString())
                .redirectErrorStream(true).start();
        try {
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(peer.getInputStream()));
            assertThat(reader.readLine()).isEqualTo("listening");
            ObjectNode config = Bundles.config(bundle);
            ((ObjectNode) config.get("process")).put("terminal", true);
            Bundles.write(bundle, config);
            Bundles.args(bundle, "sh", "-c", "tty; echo hello-from-pty");
            int status = runtime.run("tty" + S, bundle, new OciRuntime.CreateOptions(null, socket.toString(), null));
            assertThat(status).isZero();
            assertThat(reader.readLine()).isEqualTo("got b'/dev/pts/0' 5");
            assertThat(reader.readLine()).isEqualTo("pty output: b'/dev/pts/0\\r\\nhello-from-pty\\r\\n'");
        } finally {
            peer.destroyForcibly();
            peer.waitFor();
        }
    }

    @Test
    void execWithATerminalAndDetached() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python), "needs python3 as the console-socket peer");
        Bundles.args(bundle, "sh", "-c", WAITER);
        create("extty" + S);
        runtime.start("extty" + S);
        await("ready", () -> Files.exists(bundle.resolve("rootfs/tmp/ready")));
        ContainerState state = runtime.state("extty" + S);

        Path receiver = tmp.resolve("receiver.py");
        try (var in = LifecycleTest.class.getResourceAsStream("/console-receiver.py")) {
            Files.copy(in, receiver);
        }
        Path socket = tmp.resolve("exec-console.sock");
        Process peer = new ProcessBuilder(python.toString(), receiver.toString(), socket.toString())
                .redirectErrorStream(true).start();
        try {
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(peer.getInputStream()));
            assertThat(reader.readLine()).isEqualTo("listening");
            dev.vessel.runtime.spec.Spec.Process tty = new dev.vessel.runtime.spec.Spec.Process(true, null,
                    List.of("sh", "-c", "tty; cat /tmp/ready; exit 6"), List.of("PATH=/bin"), "/", null,
                    null, null, null, null, null);
            int status = runtime.exec("extty" + S, tty, new OciRuntime.ExecOptions(null, null, socket.toString(), false));
            assertThat(status).isEqualTo(6);
            assertThat(reader.readLine()).startsWith("got b'/dev/pts/");
            assertThat(reader.readLine()).matches("pty output: b'/dev/pts/[0-9]+\\\\r\\\\nready\\\\r\\\\n'");
        } finally {
            peer.destroyForcibly();
            peer.waitFor();
        }

        Path pidFile = tmp.resolve("exec.pid");
        dev.vessel.runtime.spec.Spec.Process background = new dev.vessel.runtime.spec.Spec.Process(false, null,
                List.of("sh", "-c", "sleep 0.5; readlink /proc/self/ns/mnt > /tmp/detached"), List.of("PATH=/bin"), "/",
                null, null, null, null, null, null);
        long start = System.nanoTime();
        assertThat(runtime.exec("extty" + S, background, new OciRuntime.ExecOptions(null, pidFile, null, true))).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).as("returns before the process ends").isLessThan(450);
        int pid = Integer.parseInt(Files.readString(pidFile));
        assertThat(ProcStat.startTime(pid)).as("the detached process runs").isPositive();
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")))
                .isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + state.pid() + "/ns/pid")));
        await("the detached process's output", () -> read(bundle.resolve("rootfs/tmp/detached")).length() > 0);
        assertThat(read(bundle.resolve("rootfs/tmp/detached")).strip())
                .isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + state.pid() + "/ns/mnt")).toString());
        runtime.delete("extty" + S, true);
    }

    @Test
    void terminalWithoutConsoleSocketIsRefused() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        ((ObjectNode) config.get("process")).put("terminal", true);
        Bundles.write(bundle, config);
        assertThatThrownBy(() -> runtime.run("notty" + S, bundle, OciRuntime.CreateOptions.defaults()))
                .hasMessageContaining("--console-socket");
        assertThat(runtime.list()).isEmpty();
    }
}
