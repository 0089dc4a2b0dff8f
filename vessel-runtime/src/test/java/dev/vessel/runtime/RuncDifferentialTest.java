package dev.vessel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same bundle under runc and under Vessel: what the container sees must be the same. */
class RuncDifferentialTest {
    /** Prints what a container can observe about itself, in a stable form. */
    static final String PROBE = String.join("\n",
            "echo hostname=$(hostname) domain=$(cat /proc/sys/kernel/domainname)",
            "id",
            "echo umask=$(umask) cwd=$(pwd) env=$FOO",
            "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status",
            "awk '{for (i = 7; i <= NF; i++) if ($i == \"-\") print $5, $(i + 1)}' /proc/self/mountinfo",
            "echo self=$$ pid1=$(cat /proc/1/cmdline | tr '\\0' ' ')",
            "set -- /proc/[0-9]*; echo processes=$#",
            "ulimit -a",
            "for f in memory/memory.limit_in_bytes memory/memory.soft_limit_in_bytes memory.max pids/pids.max pids.max"
                    + " cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu.max cpuset/cpuset.cpus; do"
                    + " [ -f /sys/fs/cgroup/$f ] && echo $f=$(cat /sys/fs/cgroup/$f); done",
            "ls /proc/self/fd | tr '\\n' ' '; echo",
            "ls -ln /dev | awk '{print $1, $3, $4, $5, $6, $NF}'",
            "touch /probe-ro 2>&1 | sed 's/.*: //'",
            "exit 7");

    @TempDir
    Path tmp;

    Path bundle;

    @BeforeEach
    void setUp() throws Exception {
        Bundles.assumeRoot();
        Assumptions.assumeTrue(Bundles.runcPresent(), "needs runc for the differential tests");
        bundle = Bundles.create(tmp.resolve("bundle"));
        Bundles.args(bundle, "sh", "-c", PROBE);
    }

    private void assertSameAsRunc(String name) throws Exception {
        assertSameAsRunc(name, java.util.function.UnaryOperator.identity());
    }

    private void assertSameAsRunc(String name, java.util.function.UnaryOperator<String> normalize) throws Exception {
        String id = name + "-" + ProcessHandle.current().pid();
        Bundles.Result runc = Bundles.runc(tmp.resolve("runc-root"), bundle, id);
        Bundles.Result vessel = Bundles.vessel(tmp.resolve("vessel-root"), bundle, id);
        assertThat(runc.status()).as(runc.output()).isEqualTo(7);
        assertThat(normalize.apply(vessel.output())).isEqualTo(normalize.apply(runc.output()));
        assertThat(vessel.status()).isEqualTo(runc.status());
    }

    @Test
    void defaultSpec() throws Exception {
        assertSameAsRunc("diff-default");
    }

    @Test
    void userCapabilitiesLimitsAndResources() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        config.put("hostname", "probe-host");
        // (domainname is left out: runc 1.1 ignores it; LifecycleTest checks Vessel sets it)
        ObjectNode process = (ObjectNode) config.get("process");
        ObjectNode user = process.putObject("user");
        user.put("uid", 1000).put("gid", 1000).put("umask", 077);
        user.putArray("additionalGids").add(10).add(20);
        process.put("cwd", "/tmp");
        process.withArray("env").add("FOO=bar");
        process.put("noNewPrivileges", false);
        ObjectNode caps = process.putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted", "inheritable", "ambient"}) {
            caps.putArray(set).add("CAP_CHOWN").add("CAP_NET_RAW").add("CAP_KILL");
        }
        process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("soft", 100).put("hard", 200);
        process.withArray("rlimits").addObject().put("type", "RLIMIT_CORE").put("soft", 1024).put("hard", 2048);
        ObjectNode resources = Bundles.linux(config).putObject("resources");
        resources.putObject("memory").put("limit", 64 << 20).put("reservation", 32 << 20);
        resources.putObject("pids").put("limit", 64);
        resources.putObject("cpu").put("shares", 512).put("quota", 50000).put("period", 100000).put("cpus", "0");
        Bundles.linux(config).withArray("namespaces").addObject().put("type", "cgroup");
        Bundles.write(bundle, config);
        assertSameAsRunc("diff-custom");
    }

    @Test
    void userNamespaceWithMappings() throws Exception {
        // The mapped root (host uid 100000) must reach and own the rootfs.
        for (Path p = bundle; p != null && p.startsWith(tmp.getParent()); p = p.getParent()) {
            java.nio.file.Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(new ProcessBuilder("chown", "-R", "-h", "100000:100000", bundle.resolve("rootfs").toString())
                .inheritIO().start().waitFor()).isZero();
        ObjectNode config = Bundles.config(bundle);
        ObjectNode linux = Bundles.linux(config);
        linux.withArray("namespaces").addObject().put("type", "user");
        linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        Bundles.write(bundle, config);
        Bundles.args(bundle, "sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; " + PROBE);
        // Known difference: runc creates the ipc namespace after becoming the user namespace's root,
        // so /dev/mqueue's owner is 0 there and the unmapped 65534 here (Vessel clones all at once).
        assertSameAsRunc("diff-userns", out -> out.replaceAll("(?m)^(drwxrwxrwt) (0|65534) (65534 40 \\w+ mqueue)$", "$1 ? $3"));
    }

    @Test
    void writableRootAndBindMounts() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        ((ObjectNode) config.get("root")).put("readonly", false);
        java.nio.file.Files.createDirectories(tmp.resolve("shared"));
        ObjectNode bind = config.withArray("mounts").addObject();
        bind.put("destination", "/mnt/shared").put("type", "bind").put("source", tmp.resolve("shared").toString());
        bind.putArray("options").add("rbind").add("ro").add("nosuid").add("rprivate");
        ObjectNode tmpfs = config.withArray("mounts").addObject();
        tmpfs.put("destination", "/tmp").put("type", "tmpfs").put("source", "tmpfs");
        tmpfs.putArray("options").add("nodev").add("size=1m");
        Bundles.write(bundle, config);
        assertSameAsRunc("diff-mounts");
    }
}
