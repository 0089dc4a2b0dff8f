package dev.vessel.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.engine.TestImages;
import dev.vessel.engine.container.ContainerConfig;
import dev.vessel.engine.container.ContainerIds;
import dev.vessel.engine.container.HostConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciConfigBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ContainerConfig config(String user, List<String> cmd, List<String> env) {
        return new ContainerConfig("box", null, user, false, false, false, env, cmd, "busybox", "/home/app",
                null, Map.of(), null, null);
    }

    static HostConfig host(long memory, Long pids, List<String> capAdd, List<String> capDrop, boolean readOnly,
            List<HostConfig.Ulimit> ulimits) {
        return new HostConfig(List.of(), "none", new HostConfig.RestartPolicy("no", 0), false, capAdd, capDrop,
                false, false, readOnly, List.of("no-new-privileges"), Map.of(), 0, memory, 0, 0, 500_000_000L, 0,
                null, pids, ulimits, List.of());
    }

    @Test
    void hasDockersDefaultsAndTheFlags() {
        HostConfig host = host(64L << 20, 50L, List.of("net_admin"), List.of("MKNOD"), true, List.of());
        JsonNode spec = OciConfigBuilder.build(config("app", List.of("sh"), List.of("A=1", "PATH=/bin")), host,
                new UserResolver.ResolvedUser(1000, 1000, List.of(50), "/home/app"), List.of(), null, null, "vessel/x", null);
        JsonNode process = spec.get("process");
        assertThat(process.get("env").toString()).isEqualTo("[\"HOSTNAME=box\",\"A=1\",\"PATH=/bin\",\"HOME=/home/app\"]");
        assertThat(process.get("capabilities").get("bounding").toString())
                .contains("CAP_NET_ADMIN").doesNotContain("CAP_MKNOD").contains("CAP_CHOWN");
        assertThat(process.get("noNewPrivileges").asBoolean()).isTrue();
        assertThat(spec.get("root").get("readonly").asBoolean()).isTrue();
        JsonNode resources = spec.get("linux").get("resources");
        assertThat(resources.get("memory").get("limit").asLong()).isEqualTo(64L << 20);
        assertThat(resources.get("memory").get("swap").asLong()).isEqualTo(128L << 20);
        assertThat(resources.get("cpu").get("quota").asLong()).isEqualTo(50_000);
        assertThat(resources.get("pids").get("limit").asLong()).isEqualTo(50);
        assertThat(spec.get("linux").get("maskedPaths").toString()).contains("/proc/kcore");
        assertThat(spec.get("mounts").findValuesAsText("destination")).contains("/dev/shm", "/proc", "/sys");
    }

    @Test
    void missingCommandAndUnknownCapabilityAreClearErrors() {
        assertThatThrownBy(() -> OciConfigBuilder.arguments(config("", null, List.of())))
                .hasMessageStartingWith("no command specified");
        assertThatThrownBy(() -> OciConfigBuilder.capabilityName("bogus")).hasMessage("unknown capability 'bogus'");
    }

    /** The config runs under runc, the reference runtime, and the container sees what the flags asked for. */
    @Test
    void runcRunsTheConfigAsAsked(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")), "runc is not installed (bin/install-deps installs it)");
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Path rootfs = TestImages.busyboxRootfs(bundle.resolve("rootfs"));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("hostname"), "box\n");
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost box\n");
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        String script = "id; hostname; pwd; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; ulimit -n;"
                + " cat /etc/hosts; touch /rootfs-write 2>/dev/null || echo read-only; echo $GREETING";
        HostConfig host = host(0, null, List.of(), List.of("ALL"), true,
                List.of(HostConfig.Ulimit.parse("nofile=512:1024")));
        UserResolver.ResolvedUser user = UserResolver.forRoot(rootfs).resolve("app");
        String id = ContainerIds.newId();
        JsonNode spec = OciConfigBuilder.build(config("app", List.of("sh", "-c", script), List.of("GREETING=hi")),
                host, user, List.of(), new OciConfigBuilder.EtcFiles(etc.resolve("hostname").toString(),
                        etc.resolve("hosts").toString(), etc.resolve("resolv.conf").toString()), null,
                "vessel-test-" + ContainerIds.shortId(id) + "/" + id, null);
        JSON.writeValue(bundle.resolve("config.json").toFile(), spec);
        Process runc = new ProcessBuilder("runc", "--root", dir.resolve("state").toString(), "run", "--bundle",
                bundle.toString(), ContainerIds.shortId(id)).redirectErrorStream(true).start();
        runc.getOutputStream().close();
        assertThat(runc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(runc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        deleteQuietly(dir, id);
        assertThat(runc.exitValue()).as(output).isZero();
        assertThat(output.lines()).contains(
                "uid=1000(app) gid=1000(app) groups=10(wheel),50(staff)",
                "box", "/home/app", "CapEff:\t0000000000000000", "NoNewPrivs:\t1", "512",
                "127.0.0.1 localhost box", "read-only", "hi");
    }

    /** runc removes the container's cgroups but not the parent this test named: remove it in every hierarchy. */
    private static void deleteQuietly(Path dir, String id) throws IOException, InterruptedException {
        new ProcessBuilder("runc", "--root", dir.resolve("state").toString(), "delete", "--force",
                ContainerIds.shortId(id)).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        String parent = "vessel-test-" + ContainerIds.shortId(id);
        try (var dirs = Files.find(Path.of("/sys/fs/cgroup"), 4,
                (path, attributes) -> attributes.isDirectory() && path.getFileName().toString().equals(parent))) {
            for (Path cgroup : dirs.toList()) {
                Files.deleteIfExists(cgroup);
            }
        }
    }
}
