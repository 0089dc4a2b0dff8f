package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.cli.CliRun;
import dev.vessel.cli.VesselProcess;
import dev.vessel.engine.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL to the CLI part-way through `run -d`, `rm` and `commit`: the next `ps -a` shows a
 * consistent state, and `rm -f` then cleans up everything (mounts, processes, runtime state).
 */
class CrashSafetyTest {
    private static final long[] KILL_AFTER_MILLIS = {150, 400, 700, 1000, 1500};

    @TempDir
    Path root;

    @BeforeEach
    void image() throws Exception {
        TestImages.busybox(root);
    }

    @AfterEach
    void removeAll() {
        CliRun.removeAllContainers(root);
    }

    private CliRun vessel(String... args) {
        return CliRun.in(root, args);
    }

    private static void killAfter(Process process, long millis) throws Exception {
        process.waitFor(millis, TimeUnit.MILLISECONDS);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Nothing of the store's containers is left: no overlay under the root, no monitor or container process. */
    private void assertCleanedUp() throws Exception {
        assertThat(vessel("ps", "-aq").out()).isEmpty();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(root.toString());
        try (var processes = Files.list(Path.of("/proc"))) {
            long monitors = processes.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(root.toString());
                } catch (Exception gone) {
                    return false;
                }
            }).count();
            assertThat(monitors).as("processes still naming the test's root").isZero();
        }
    }

    @Test
    void killedDetachedRunLeavesAConsistentStateThatCleansUp() throws Exception {
        for (long delay : KILL_AFTER_MILLIS) {
            killAfter(VesselProcess.start(root, "run", "-d", "--name", "k", "busybox", "sleep", "300"), delay);
            CliRun ps = vessel("ps", "-a", "--format", "json");
            assertThat(ps.status()).as(ps.err()).isZero();
            if (!ps.out().isBlank()) {
                assertThat(ps.out()).contains("\"Names\":[\"k\"]");
                CliRun rm = vessel("rm", "-f", "k");
                assertThat(rm.status()).as(rm.err()).isZero();
            }
            assertCleanedUp();
        }
    }

    @Test
    void killedRemoveLeavesAConsistentStateThatCleansUp() throws Exception {
        for (long delay : KILL_AFTER_MILLIS) {
            VesselProcess started = VesselProcess.run(root, "run", "-d", "--name", "victim", "busybox", "sleep", "300");
            assertThat(started.status()).as(started.err()).isZero();
            killAfter(VesselProcess.start(root, "rm", "-f", "victim"), delay);
            CliRun ps = vessel("ps", "-a", "--format", "json");
            assertThat(ps.status()).as(ps.err()).isZero();
            if (!ps.out().isBlank()) {
                CliRun rm = vessel("rm", "-f", "victim");
                assertThat(rm.status()).as(rm.err()).isZero();
            }
            assertCleanedUp();
        }
    }

    @Test
    void killedCommitLeavesTheStoreReadable() throws Exception {
        VesselProcess changed = VesselProcess.run(root, "run", "--name", "src", "busybox", "sh", "-c",
                "dd if=/dev/zero of=/big bs=1M count=64 2>/dev/null");
        assertThat(changed.status()).as(changed.err()).isZero();
        for (long delay : KILL_AFTER_MILLIS) {
            killAfter(VesselProcess.start(root, "commit", "src", "localhost/partial:" + delay), delay);
            CliRun images = vessel("images");
            assertThat(images.status()).as(images.err()).isZero();
            assertThat(vessel("ps", "-a", "-q").out().lines()).hasSize(1);
        }
        CliRun commit = vessel("commit", "src", "localhost/whole:1");
        assertThat(commit.status()).as(commit.err()).isZero();
        assertThat(VesselProcess.run(root, "run", "--rm", "localhost/whole:1", "sh", "-c", "wc -c < /big").out().strip())
                .isEqualTo(Long.toString(64L << 20));
        try (var staging = Files.list(root.resolve("tmp"))) {
            assertThat(staging.toList()).as("a later writer removed what killed ones staged").isEmpty();
        }
    }
}
