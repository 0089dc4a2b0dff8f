package dev.vessel.vm.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts each QEMU in a cgroup of its own, under the cgroup Vessel itself runs in (never
 * anywhere else), limited to the VM's memory (plus QEMU's overhead) and CPUs. Works on
 * cgroup v2 (memory.max, cpu.max) and on v1 hierarchies (memory.limit_in_bytes,
 * cpu.cfs_quota_us), including hybrid hosts; a controller that cannot be used is skipped
 * and reported in {@link Placement#notes()}.
 */
public final class VmCgroups {
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");
    /** QEMU's own memory beyond guest RAM: TCG translation cache, device state, I/O buffers. */
    public static final long QEMU_OVERHEAD = 384L << 20;

    private VmCgroups() {
    }

    /** The cgroup directories the QEMU process must join, and what could not be limited. */
    public record Placement(List<Path> directories, List<String> notes) {
    }

    public static Placement create(String group, long memoryBytes, int cpus) {
        List<Path> dirs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> own;
        try {
            own = Files.readAllLines(Path.of("/proc/self/cgroup"));
        } catch (IOException e) {
            return new Placement(dirs, List.of("no /proc/self/cgroup: no limits"));
        }
        String v2Path = null;
        String memoryV1 = null;
        String cpuV1 = null;
        for (String line : own) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                v2Path = parts[2];
            }
            for (String controller : parts[1].split(",")) {
                if (controller.equals("memory")) {
                    memoryV1 = parts[2];
                } else if (controller.equals("cpu")) {
                    cpuV1 = parts[2];
                }
            }
        }
        boolean memoryDone = false;
        boolean cpuDone = false;
        if (memoryV1 != null && Files.isDirectory(CGROUP_FS.resolve("memory"))) {
            Path dir = child(CGROUP_FS.resolve("memory"), memoryV1, group);
            if (dir != null && write(dir, "memory.limit_in_bytes", Long.toString(memoryBytes + QEMU_OVERHEAD))) {
                dirs.add(dir);
                memoryDone = true;
            } else if (dir != null) {
                remove(dir);
            }
        }
        if (cpuV1 != null && Files.isDirectory(CGROUP_FS.resolve("cpu"))) {
            Path dir = child(CGROUP_FS.resolve("cpu"), cpuV1, group);
            if (dir != null && write(dir, "cpu.cfs_period_us", "100000")
                    && write(dir, "cpu.cfs_quota_us", Long.toString(cpus * 100000L))) {
                dirs.add(dir);
                cpuDone = true;
            } else if (dir != null) {
                remove(dir);
            }
        }
        if (v2Path != null && (!memoryDone || !cpuDone)) {
            Path mount = Files.isRegularFile(CGROUP_FS.resolve("cgroup.controllers")) ? CGROUP_FS
                    : CGROUP_FS.resolve("unified");
            Path ownDir = mount.resolve(v2Path.substring(1));
            String controllers = readOr(ownDir.resolve("cgroup.controllers"));
            boolean memory = !memoryDone && controllers.contains("memory");
            boolean cpu = !cpuDone && controllers.matches(".*\\bcpu\\b.*");
            if (memory || cpu) {
                Path dir = child(mount, v2Path, group);
                if (dir != null) {
                    Path parent = dir.getParent();
                    if (memory) {
                        write(parent, "cgroup.subtree_control", "+memory");
                        memoryDone = write(dir, "memory.max", Long.toString(memoryBytes + QEMU_OVERHEAD));
                    }
                    if (cpu) {
                        write(parent, "cgroup.subtree_control", "+cpu");
                        cpuDone = write(dir, "cpu.max", (cpus * 100000L) + " 100000");
                    }
                    dirs.add(dir);
                }
            }
        }
        if (!memoryDone) {
            notes.add("memory limit not applied: no usable memory controller in Vessel's cgroup");
        }
        if (!cpuDone) {
            notes.add("CPU limit not applied: no usable cpu controller in Vessel's cgroup");
        }
        return new Placement(dirs, notes);
    }

    /**
     * Removes the group's cgroups in every hierarchy, also ones a killed CLI never recorded
     * (they must be empty: QEMU has exited).
     */
    public static void removeGroup(String group) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length != 3) {
                    continue;
                }
                String own = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
                List<Path> mounts = new ArrayList<>();
                if (parts[1].isEmpty()) {
                    mounts.add(Files.isRegularFile(CGROUP_FS.resolve("cgroup.controllers")) ? CGROUP_FS
                            : CGROUP_FS.resolve("unified"));
                } else {
                    for (String controller : parts[1].split(",")) {
                        mounts.add(CGROUP_FS.resolve(controller.replace("name=", "")));
                    }
                }
                for (Path mount : mounts) {
                    Path dir = mount.resolve(own).resolve("vessel-vms").resolve(group);
                    if (Files.isDirectory(dir)) {
                        remove(dir);
                    }
                }
            }
        } catch (IOException ignored) {
            // nothing to clean
        }
    }

    /** Removes the VM's cgroups (they must be empty: QEMU has exited). */
    public static void remove(List<Path> dirs) {
        for (Path dir : dirs) {
            remove(dir);
        }
    }

    private static void remove(Path dir) {
        try {
            // The kernel may refuse (EBUSY) for a moment after QEMU's exit, while it releases the
            // exited process from the group: try again for up to a second.
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(dir);
                    break;
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    return; // a group below it: not this VM's to remove
                } catch (IOException e) {
                    if (attempt >= 100) {
                        throw e;
                    }
                    Thread.sleep(10);
                }
            }
            Path parent = dir.getParent();
            if (parent.getFileName().toString().equals("vessel-vms")) {
                try (var children = Files.list(parent)) {
                    if (children.noneMatch(Files::isDirectory)) {
                        Files.deleteIfExists(parent);
                    }
                }
            }
        } catch (IOException ignored) {
            // still busy or already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ownPath/vessel-vms/group under the hierarchy's mount: always inside our own cgroup.
    private static Path child(Path mount, String ownPath, String group) {
        Path own = mount.resolve(ownPath.startsWith("/") ? ownPath.substring(1) : ownPath);
        Path dir = own.resolve("vessel-vms").resolve(group);
        if (!dir.normalize().startsWith(own.normalize())) {
            return null;
        }
        try {
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean write(Path dir, String file, String value) {
        try {
            Files.writeString(dir.resolve(file), value);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readOr(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
