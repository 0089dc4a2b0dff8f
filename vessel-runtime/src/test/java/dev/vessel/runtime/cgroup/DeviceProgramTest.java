package dev.vessel.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.runtime.spec.Spec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The eBPF device program, compiled and attached to a real cgroup v2 directory (this JVM's own
 * one in the unified hierarchy, on hybrid hosts too): a process in that cgroup opens devices and
 * the kernel allows or refuses as the rules say.
 */
class DeviceProgramTest {
    /** Opens each device for reading and for writing; prints "DEV r=ok|no w=ok|no". */
    static final String PROBE = "read go; for d in /dev/null /dev/zero /dev/fuse; do "
            + "r=no; w=no; (: < $d) 2>/dev/null && r=ok; (: > $d) 2>/dev/null && w=ok; echo \"$d r=$r w=$w\"; done";

    Path v2;
    final List<Path> made = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (bpf, cgroups)");
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse as a device to refuse");
        v2 = Hierarchy.detect().stream().filter(Hierarchy::v2).map(Hierarchy::ownDir).findFirst().orElse(null);
        Assumptions.assumeTrue(v2 != null, "needs a cgroup v2 hierarchy (pure v2 or hybrid's unified)");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Path dir : made) {
            for (int i = 0; i < 100 && Files.exists(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (IOException e) {
                    Thread.sleep(20); // the probe is still leaving
                }
            }
        }
    }

    private static Spec.DeviceRule rule(boolean allow, String type, long major, long minor, String access) {
        return new Spec.DeviceRule(allow, type, major, minor, access);
    }

    /** Runs the probe in a fresh cgroup carrying the rules' program; its output lines. */
    private List<String> probe(List<Spec.DeviceRule> rules) throws Exception {
        Path cgroup = v2.resolve("vessel-devtest-" + ProcessHandle.current().pid() + "-" + made.size());
        Files.createDirectory(cgroup);
        made.add(cgroup);
        BpfDeviceFilter.attach(DeviceProgram.compile(rules), cgroup);
        return probeIn(cgroup);
    }

    private List<String> probeIn(Path cgroup) throws Exception {
        Process sh = new ProcessBuilder("/bin/sh", "-c", PROBE).redirectErrorStream(true).start();
        try {
            Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(sh.pid()));
            try (OutputStream in = sh.getOutputStream()) {
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return out.lines().toList();
        } finally {
            sh.destroyForcibly();
            sh.waitFor();
        }
    }

    @Test
    void denyAllThenTheDefaultsAllowsOnlyTheDefaultDevices() throws Exception {
        List<Spec.DeviceRule> rules = new ArrayList<>(List.of(rule(false, "a", -1, -1, "rwm")));
        rules.addAll(ResourceWriter.DEFAULT_ALLOWED);
        assertThat(probe(rules)).containsExactly("/dev/null r=ok w=ok", "/dev/zero r=ok w=ok", "/dev/fuse r=no w=no");
    }

    @Test
    void accessAndTheLastMatchingRuleDecide() throws Exception {
        // deny everything, allow fuse for reading only
        assertThat(probe(List.of(rule(false, "a", -1, -1, "rwm"), rule(true, "c", 1, 3, "rw"), rule(true, "c", 10, 229, "r"))))
                .containsExactly("/dev/null r=ok w=ok", "/dev/zero r=no w=no", "/dev/fuse r=ok w=no");
        // allow everything, then deny reading char 1:* (null and zero), then allow null again
        assertThat(probe(List.of(rule(true, "a", -1, -1, "rwm"), rule(false, "c", 1, -1, "r"), rule(true, "c", 1, 3, "rwm"))))
                .containsExactly("/dev/null r=ok w=ok", "/dev/zero r=no w=ok", "/dev/fuse r=ok w=ok");
        // a block rule does not match char devices
        assertThat(probe(List.of(rule(true, "a", -1, -1, "rwm"), rule(false, "b", 1, 5, "rwm"))))
                .containsExactly("/dev/null r=ok w=ok", "/dev/zero r=ok w=ok", "/dev/fuse r=ok w=ok");
    }

    @Test
    void aNewProgramReplacesTheOldOne() throws Exception {
        List<Spec.DeviceRule> denyFuse = List.of(rule(true, "a", -1, -1, "rwm"), rule(false, "c", 10, 229, "rwm"));
        assertThat(probe(denyFuse)).contains("/dev/fuse r=no w=no");
        Path cgroup = made.getLast();
        assertThat(BpfDeviceFilter.attached(cgroup)).hasSize(1);
        // the update's rules: everything but writing to /dev/zero (all programs must allow: only replacing frees fuse)
        BpfDeviceFilter.attach(DeviceProgram.compile(List.of(rule(true, "a", -1, -1, "rwm"), rule(false, "c", 1, 5, "w"))), cgroup);
        assertThat(BpfDeviceFilter.attached(cgroup)).hasSize(1);
        assertThat(probeIn(cgroup)).containsExactly("/dev/null r=ok w=ok", "/dev/zero r=ok w=no", "/dev/fuse r=ok w=ok");
    }

    @Test
    void badRulesAreRefusedWithTheField() {
        assertThatThrownBy(() -> DeviceProgram.compile(List.of(rule(true, "x", 1, 1, "r"))))
                .hasMessageContaining("devices[0].type");
        assertThatThrownBy(() -> DeviceProgram.compile(List.of(rule(true, "c", 1, 1, "rq"))))
                .hasMessageContaining("devices[0].access");
    }
}
