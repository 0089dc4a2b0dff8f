package dev.vessel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.runtime.cgroup.Hierarchy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 200 run/delete cycles leave no mount, cgroup, process, descriptor or state file behind. */
class LeakTest {
    static final String S = "-" + ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    Path bundle;

    @BeforeEach
    void setUp() throws Exception {
        Bundles.assumeRoot();
        bundle = Bundles.create(tmp.resolve("bundle"));
        Bundles.args(bundle, "true");
    }

    /** Everything a container could leave behind, as seen from here. */
    private List<String> footprint(Path stateRoot) throws IOException {
        List<String> seen = new ArrayList<>();
        // Mounts that reach the bundle or the state (other programs on the host mount and unmount
        // their own things meanwhile: only ours count).
        Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(tmp.toString())).forEach(line -> seen.add("mount " + line));
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            seen.add("fds " + fds.count());
        }
        for (Hierarchy h : Hierarchy.detect()) {
            try (Stream<Path> children = Files.list(h.ownDir())) {
                children.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("leak"))
                        .forEach(p -> seen.add("cgroup " + p));
            }
        }
        ProcessHandle.current().children().forEach(p -> seen.add("child " + p.pid()));
        if (Files.exists(stateRoot)) {
            try (Stream<Path> entries = Files.list(stateRoot)) {
                entries.forEach(p -> seen.add("state " + p));
            }
        }
        return seen;
    }

    @Test
    void twoHundredRunsLeaveNothing() throws Exception {
        Path stateRoot = tmp.resolve("state");
        Bundles.vessel(stateRoot, bundle, "leak-warmup" + S); // loads classes, opens the jar's files once
        List<String> before = footprint(stateRoot);
        OciRuntime runtime = new OciRuntime(stateRoot);
        for (int i = 0; i < 200; i++) {
            assertThat(runtime.run("leak" + i + S, bundle, OciRuntime.CreateOptions.defaults())).isZero();
        }
        assertThat(footprint(stateRoot)).isEqualTo(before);
        assertThat(before).noneMatch(s -> s.startsWith("cgroup") || s.startsWith("state") || s.startsWith("child"));
    }
}
