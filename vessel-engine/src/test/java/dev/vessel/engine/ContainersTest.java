package dev.vessel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.engine.container.ContainerConfig;
import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.engine.container.CreateRequest;
import dev.vessel.engine.container.HostConfig;
import dev.vessel.engine.spec.MountFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainersTest {
    @TempDir
    Path root;
    private Containers containers;

    @BeforeEach
    void busybox() throws Exception {
        assumeTrue(TestImages.available(), "busybox-static is not installed (bin/install-deps installs it)");
        TestImages.busybox(root);
        containers = new Containers(root);
    }

    /** Whatever a failed test left: containers killed, overlays unmounted, cgroups removed. */
    @org.junit.jupiter.api.AfterEach
    void removeEverything() throws Exception {
        if (containers != null) {
            for (ContainerRecord record : containers.store().list()) {
                containers.remove(record.id(), true, true);
            }
        }
    }

    static CreateRequest request(String name, List<String> command, List<HostConfig.MountRequest> mounts) {
        ContainerConfig config = new ContainerConfig(null, null, null, false, false, false, null, null, null, null,
                null, Map.of("purpose", "test"), null, null);
        HostConfig host = new HostConfig(List.of(), "none", new HostConfig.RestartPolicy("no", 0), false, List.of(),
                List.of(), false, false, false, List.of(), Map.of(), 0, 0, 0, 0, 0, 0, null, null, List.of(), mounts);
        return new CreateRequest("busybox", name, command, null, List.of("GREETING=hello"), config, host);
    }

    @Test
    void runsInTheForegroundAndRecordsTheExitStatus() throws Exception {
        ContainerRecord record = containers.create(request("first", List.of("sh", "-c",
                "echo $GREETING > /out; hostname >> /out; exit 3"), List.of()));
        assertThat(record.config().cmd()).containsExactly("sh", "-c", "echo $GREETING > /out; hostname >> /out; exit 3");
        assertThat(record.state().status()).isEqualTo("created");
        assertThat(containers.runAttached(record)).isEqualTo(3);
        ContainerRecord after = containers.store().resolve("first");
        assertThat(after.state().status()).isEqualTo("exited");
        assertThat(after.state().exitCode()).isEqualTo(3);
        Path upper = root.resolve("containers").resolve(record.id()).resolve("upper");
        assertThat(Files.readString(upper.resolve("out"))).isEqualTo("hello\n" + record.id().substring(0, 12) + "\n");
        containers.remove("first", false, false);
        assertThat(Files.exists(root.resolve("containers").resolve(record.id()))).isFalse();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(record.id());
    }

    @Test
    void volumesKeepDataAcrossContainers() throws Exception {
        var first = containers.create(request(null, List.of("sh", "-c", "echo kept > /data/file"),
                List.of(MountFlags.volume("shared:/data"))));
        assertThat(containers.runAttached(first)).isZero();
        var second = containers.create(request(null, List.of("sh", "-c", "grep -q kept /data/file"),
                List.of(MountFlags.volume("shared:/data:ro"))));
        assertThat(containers.runAttached(second)).isZero();
        assertThat(containers.volumes().read("shared").name()).isEqualTo("shared");
        containers.remove(first.id(), false, true);
        containers.remove(second.id(), false, true);
    }

    @Test
    void unknownImageAndCommandAreClearErrors() throws Exception {
        CreateRequest request = request(null, List.of("nope"), List.of());
        assertThatThrownBy(() -> containers.create(new CreateRequest("no-such-image", null, List.of("true"), null,
                List.of(), request.config(), request.host()))).hasMessageContaining("No such image: no-such-image");
        ContainerRecord record = containers.create(request);
        assertThatThrownBy(() -> containers.runAttached(record)).hasMessageContaining("nope");
        assertThat(containers.store().resolve(record.id()).state().exitCode()).isEqualTo(127);
        containers.remove(record.id(), false, false);
        assertThat(containers.store().list()).isEmpty();
    }

    @Test
    void detachedContainerOutlivesItsStarterLogsAndRecordsItsExit() throws Exception {
        ContainerRecord record = containers.create(request("bg", List.of("sh", "-c",
                "echo to-stdout; echo to-stderr >&2; ip=$(cat /proc/net/dev | grep -c lo:); echo lo=$ip; exit 7"), List.of()));
        ContainerRecord running = containers.startDetached(record);
        assertThat(running.state().pid()).isPositive();
        assertThat(containers.waitFor(record)).isEqualTo(7);
        ContainerRecord after = containers.find("bg");
        assertThat(after.state().status()).isEqualTo("exited");
        assertThat(after.state().exitCode()).isEqualTo(7);
        String log = Files.readString(containers.logFile(record));
        assertThat(log).contains("{\"log\":\"to-stdout\\n\",\"stream\":\"stdout\",\"time\":\"")
                .contains("{\"log\":\"to-stderr\\n\",\"stream\":\"stderr\"");
        containers.remove("bg", false, false);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(record.id());
    }

    @Test
    void stopSendsTheSignalThenKillsAfterTheTimeout() throws Exception {
        ContainerRecord record = containers.create(request(null, List.of("sleep", "100"), List.of()));
        containers.startDetached(record);
        assertThat(containers.find(record.id()).state().running()).isTrue();
        // sleep as PID 1 has no SIGTERM handler, so the kernel ignores SIGTERM: only SIGKILL ends it.
        ContainerRecord stopped = containers.stop(record, 15, 1);
        assertThat(stopped.state().status()).isEqualTo("exited");
        assertThat(stopped.state().exitCode()).isEqualTo(137);
        containers.startDetached(stopped);
        assertThat(containers.find(record.id()).state().running()).isTrue();
        containers.remove(record.id(), true, false);
        assertThat(containers.store().list()).isEmpty();
    }

    /** 200 run --rm cycles leave no mount, cgroup, process, runtime state or file of Vessel's behind. */
    @Test
    void noLeaksAfterManyRunRemoveCycles() throws Exception {
        long childrenBefore = ProcessHandle.current().children().count();
        String mountsBefore = Files.readString(Path.of("/proc/self/mountinfo"));
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            ContainerRecord record = containers.create(request(null, List.of("true"), List.of()));
            ids.add(record.id());
            assertThat(containers.runAttached(record)).isZero();
            containers.remove(record.id(), false, true);
        }
        assertThat(containers.store().list()).isEmpty();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).isEqualTo(mountsBefore);
        try (var entries = Files.list(root.resolve("containers"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsOnly("lock");
        }
        try (var entries = Files.list(root.resolve("run").resolve("oci"))) {
            assertThat(entries.filter(p -> !p.getFileName().toString().startsWith("."))).isEmpty();
        }
        try (var cgroups = Files.find(Path.of("/sys/fs/cgroup"), 6,
                (path, attributes) -> attributes.isDirectory() && ids.contains(path.getFileName().toString()))) {
            assertThat(cgroups.toList()).isEmpty();
        }
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            assertThat(fds.count()).isLessThan(200);
        }
        assertThat(ProcessHandle.current().children().count()).isLessThanOrEqualTo(childrenBefore);
        try (var processes = Files.list(Path.of("/proc"))) {
            assertThat(processes.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(root.toString());
                } catch (Exception gone) {
                    return false;
                }
            }).count()).as("processes naming the test's root").isZero();
        }
    }

}
