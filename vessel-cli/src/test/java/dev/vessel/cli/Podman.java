package dev.vessel.cli;

import dev.vessel.os.Mounts;
import dev.vessel.runtime.cgroup.Hierarchy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's podman set up as this machine needs it, all of it under one work directory: its own
 * root, run root and temporary directory, runc, a containers.conf with usable default ulimits, the
 * cgroupfs manager and a cgroup parent under this process's own cgroup in every hierarchy.
 * {@link #close()} removes what it made: containers, images, mounts and cgroups.
 */
public final class Podman implements AutoCloseable {
    /** What one podman command printed and its status. */
    public record Result(int status, String out, String err) {
    }

    private final Path work;
    private final String cgroupParent;
    /** Cgroup directories on the way to the parent that did not exist before, deepest last. */
    private final List<Path> madeOnTheWay = new ArrayList<>();
    private final List<Path> parentDirs = new ArrayList<>();

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/podman")) && Files.isExecutable(Path.of("/usr/sbin/runc"));
    }

    /**
     * The cgroup parent: under the deepest of this process's own cgroups, which is under the
     * others' too when they are their hierarchy's root (hybrid hosts); null when no single path is.
     */
    static String cgroupParentFor(List<Hierarchy> hierarchies, String leaf) {
        String deepest = hierarchies.stream().map(Hierarchy::ownPath).max(Comparator.comparingInt(String::length))
                .orElse("/");
        for (Hierarchy h : hierarchies) {
            if (!h.ownPath().equals("/") && !deepest.equals(h.ownPath()) && !deepest.startsWith(h.ownPath() + "/")) {
                return null;
            }
        }
        return (deepest.equals("/") ? "" : deepest) + "/" + leaf;
    }

    public Podman(Path work) throws IOException {
        this.work = work;
        Files.createDirectories(work.resolve("tmp"));
        Files.writeString(work.resolve("containers.conf"),
                "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n");
        List<Hierarchy> hierarchies = Hierarchy.detect();
        cgroupParent = cgroupParentFor(hierarchies, "vessel-podman-test-" + ProcessHandle.current().pid());
        if (cgroupParent == null) {
            throw new IllegalStateException("no cgroup path lies under this process's own cgroup in every hierarchy");
        }
        for (Hierarchy h : hierarchies) {
            Path dir = h.mountPoint();
            for (String part : cgroupParent.substring(1).split("/")) {
                dir = dir.resolve(part);
                if (!Files.exists(dir) && !madeOnTheWay.contains(dir)) {
                    madeOnTheWay.add(dir);
                }
            }
            parentDirs.add(dir);
        }
    }

    public String cgroupParent() {
        return cgroupParent;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman", "--root", work.resolve("root").toString(),
                "--runroot", work.resolve("run").toString(), "--tmpdir", work.resolve("tmp").toString(),
                "--runtime", "runc", "--cgroup-manager", "cgroupfs", "--events-backend", "file"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("CONTAINERS_CONF", work.resolve("containers.conf").toString());
        // not in podman's --tmpdir: `system reset` removes that
        Path output = Files.createDirectories(work.resolve("output"));
        Path out = Files.createTempFile(output, "out", ".txt");
        Path err = Files.createTempFile(output, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("podman " + String.join(" ", args) + " did not finish");
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** `podman VERB` of a container (run, create): no network, under the test's cgroup parent. */
    public Result container(String verb, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(verb, "--network", "none", "--cgroup-parent", cgroupParent));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("rm", "--all", "--force", "--time", "0");
        run("system", "reset", "--force");
        List<Path> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            Path point = Path.of(line.split(" ")[4]);
            if (point.startsWith(work)) {
                mounts.add(point);
            }
        }
        mounts.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path point : mounts) {
            Mounts.unmount(point, Mounts.MNT_DETACH);
        }
        for (Path parent : parentDirs) {
            if (Files.isDirectory(parent)) {
                try (Stream<Path> tree = Files.walk(parent)) {
                    for (Path dir : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(dir);
                    }
                }
            }
        }
        for (Path dir : madeOnTheWay.reversed()) {
            try {
                Files.deleteIfExists(dir);
            } catch (java.nio.file.DirectoryNotEmptyException othersMeanwhile) {
                // another process made a cgroup there since: it stays
            }
        }
    }
}
