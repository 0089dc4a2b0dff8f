package dev.vessel.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A container's cgroup that one hierarchy cannot remove yet (a process still in it) is removed
 * from every other hierarchy all the same, and from that one once it is empty: nothing is left.
 */
class CgroupDestroyTest {
    @Test
    void aBusyHierarchyLeavesNoOtherBehind() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (cgroups)");
        String id = "vessel-destroytest-" + ProcessHandle.current().pid();
        Cgroup cgroup = Cgroup.resolve(null, id);
        cgroup.create();
        List<Path> dirs = cgroup.dirs();
        Path busy = dirs.get(0);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(busy.resolve("cgroup.procs"), Long.toString(sleeper.pid()));
            assertThatThrownBy(cgroup::destroy).isInstanceOf(IOException.class).hasMessageContaining(busy.toString());
            assertThat(busy).exists();
            for (Path other : dirs.subList(1, dirs.size())) {
                assertThat(other).as("removed although " + busy + " was busy").doesNotExist();
            }
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
            cgroup.destroy();
        }
        for (Path dir : dirs) {
            assertThat(dir).doesNotExist();
        }
    }
}
