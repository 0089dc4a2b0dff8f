package dev.vessel.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Podman as a reference, with its own storage under a test directory, Debian's runc (its
 * default crun refuses this machine's hybrid cgroups), cgroupfs under this process's own
 * cgroup, and the ulimits this machine needs in its own containers.conf.
 */
final class Podman implements AutoCloseable {
    private final Path dir;

    Podman(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("containers.conf"),
                "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n");
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/podman")) && Files.isExecutable(Path.of("/usr/sbin/runc"))
                || Files.isExecutable(Path.of("/usr/bin/runc"));
    }

    /** Runs podman with the test's storage; returns stdout, failing the test on a non-zero exit. */
    String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman", "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("runroot").toString(), "--runtime", "runc", "--cgroup-manager", "cgroupfs",
                "--storage-driver", "overlay"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        Path err = dir.resolve("stderr");
        builder.redirectError(err.toFile());
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), Files.readString(err)).isZero();
        return out;
    }

    /** A cgroup parent for podman's build containers, under this process's own cgroup. */
    static String cgroupParent() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            if (line.startsWith("0::")) {
                String own = line.substring(3);
                return (own.equals("/") ? "" : own) + "/vessel-test-podman";
            }
        }
        return "/vessel-test-podman";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("system", "reset", "--force");
        } finally {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
    }
}
