package dev.vessel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.runtime.spec.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup limits enforced for real: OOM kill, pids.max, CPU quota, live update. */
class LimitsTest {
    static final String S = "-" + ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    Path bundle;
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        Bundles.assumeRoot();
        bundle = Bundles.create(tmp.resolve("bundle"));
        root = tmp.resolve("state");
    }

    private ObjectNode resources() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        return Bundles.linux(config).putObject("resources");
    }

    private void withResources(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode config = Bundles.config(bundle);
        edit.accept(Bundles.linux(config).putObject("resources"));
        Bundles.write(bundle, config);
    }

    @Test
    void aMemoryHogIsOomKilledWith137() throws Exception {
        withResources(r -> r.putObject("memory").put("limit", 32 << 20).put("swap", 32 << 20));
        Bundles.args(bundle, "tail", "/dev/zero");
        assertThat(Bundles.vessel(root, bundle, "oom" + S).status()).isEqualTo(137);
    }

    @Test
    void aForkBombStopsAtPidsMax() throws Exception {
        withResources(r -> r.putObject("pids").put("limit", 10));
        // The inner shell forks until the kernel refuses (ash gives up at the first refusal); the
        // outer one then counts the processes with a glob (no fork needed) and kills them.
        Bundles.args(bundle, "sh", "-c", "sh -c 'i=0; while [ $i -lt 30 ]; do sleep 100 & i=$((i+1)); done';"
                + " set -- /proc/[0-9]*; echo $#; kill -9 -1");
        Bundles.Result result = Bundles.vessel(root, bundle, "pids" + S);
        assertThat(result.output()).contains("can't fork");
        int processes = Integer.parseInt(result.output().lines().filter(l -> l.matches("\\d+")).findFirst().orElseThrow());
        assertThat(processes).isLessThanOrEqualTo(10).isGreaterThan(5);
    }

    @Test
    void aCpuQuotaOfHalfACoreGivesAboutHalfACore() throws Exception {
        withResources(r -> r.putObject("cpu").put("quota", 50000).put("period", 100000));
        // Spin for 2 s of wall time, then report the CPU time the cgroup used (v1 cpuacct or v2 cpu.stat).
        Bundles.args(bundle, "sh", "-c", "timeout 2 sh -c 'while :; do :; done';"
                + " if [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then echo $(( $(cat /sys/fs/cgroup/cpuacct/cpuacct.usage) / 1000 ));"
                + " else grep usage_usec /sys/fs/cgroup/cpu.stat | cut -d' ' -f2; fi");
        ObjectNode config = Bundles.config(bundle);
        Bundles.linux(config).withArray("namespaces").addObject().put("type", "cgroup");
        Bundles.write(bundle, config);
        Bundles.Result result = Bundles.vessel(root, bundle, "cpu" + S);
        String[] lines = result.output().strip().split("\n");
        long usec = Long.parseLong(lines[lines.length - 1].strip());
        double cores = usec / 2_000_000.0;
        assertThat(cores).as("CPU used over 2 s, in cores").isBetween(0.3, 0.7);
    }

    @Test
    void updateChangesLimitsLive() throws Exception {
        withResources(r -> r.putObject("pids").put("limit", 50));
        Bundles.args(bundle, "sleep", "100");
        OciRuntime runtime = new OciRuntime(root);
        String id = "upd" + S;
        runtime.create(id, bundle, OciRuntime.CreateOptions.defaults());
        try {
            runtime.start(id);
            Path pidsDir = runtime.state(id).cgroups().stream().map(Path::of)
                    .filter(p -> Files.exists(p.resolve("pids.max"))).findFirst().orElseThrow();
            assertThat(Files.readString(pidsDir.resolve("pids.max")).strip()).isEqualTo("50");
            runtime.update(id, new Spec.Resources(null, null, null, new Spec.Pids(7L), null, null, null));
            assertThat(Files.readString(pidsDir.resolve("pids.max")).strip()).isEqualTo("7");
        } finally {
            runtime.delete(id, true);
        }
    }
}
