package dev.vessel.runtime.cgroup;

import dev.vessel.os.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One mounted cgroup hierarchy and this process's own cgroup in it: a v1 hierarchy (with its
 * controllers, e.g. memory or name=systemd) or the v2 unified one.
 */
public record Hierarchy(Path mountPoint, Set<String> controllers, boolean v2, String ownPath) {

    /** Where this process's own cgroup is; every cgroup Vessel makes must be under it. */
    public Path ownDir() {
        return ownPath.equals("/") ? mountPoint : mountPoint.resolve(ownPath.substring(1));
    }

    public boolean has(String controller) {
        return controllers.contains(controller);
    }

    /** The last detection and the /proc/self/cgroup it was made for. */
    private record Detected(List<String> own, List<Hierarchy> hierarchies) {
    }

    private static volatile Detected last;

    /**
     * The hierarchies mounted on this host, read from /proc/self/mountinfo and /proc/self/cgroup.
     * Kept while this process stays in the same cgroups: a command asks several times, and the
     * preload thread asks first (see ClassPreload).
     */
    public static List<Hierarchy> detect() throws IOException {
        List<String> own = Files.readAllLines(Path.of("/proc/self/cgroup"));
        Detected known = last;
        if (known != null && known.own().equals(own)) {
            return known.hierarchies();
        }
        List<Hierarchy> found = detect(own);
        last = new Detected(own, found);
        return found;
    }

    private static List<Hierarchy> detect(List<String> own) throws IOException {
        List<Hierarchy> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            String fsType = after[0];
            if (!fsType.equals("cgroup") && !fsType.equals("cgroup2")) {
                continue;
            }
            Path mountPoint = Path.of(MountTable.unescape(before[4]));
            String mountRoot = MountTable.unescape(before[3]);
            boolean v2 = fsType.equals("cgroup2");
            Set<String> controllers = Set.of();
            String ownPath = null;
            if (v2) {
                for (String entry : own) {
                    if (entry.startsWith("0::")) {
                        ownPath = entry.substring(3);
                    }
                }
                Path list = mountPoint.resolve("cgroup.controllers");
                if (Files.exists(list)) {
                    String text = Files.readString(list).trim();
                    controllers = text.isEmpty() ? Set.of() : Set.of(text.split(" "));
                }
            } else {
                List<String> names = new ArrayList<>();
                for (String option : after[2].split(",")) {
                    if (!Set.of("rw", "ro", "relatime", "noatime", "nosuid", "nodev", "noexec", "clone_children",
                            "noprefix", "xattr", "cpuset_v2_mode").contains(option) && !option.startsWith("release_agent=")) {
                        names.add(option);
                    }
                }
                controllers = Set.copyOf(names);
                for (String entry : own) {
                    String[] parts = entry.split(":", 3);
                    if (parts.length == 3 && !parts[1].isEmpty()
                            && Set.of(parts[1].split(",")).equals(controllers)) {
                        ownPath = parts[2];
                    }
                }
            }
            if (ownPath == null || found.stream().anyMatch(h -> h.mountPoint.equals(mountPoint))) {
                continue;
            }
            // Inside a cgroup namespace the mount's root is our own view's root.
            if (!mountRoot.equals("/") && ownPath.startsWith(mountRoot)) {
                ownPath = ownPath.substring(mountRoot.length());
                if (ownPath.isEmpty()) {
                    ownPath = "/";
                }
            }
            if (!v2 || found.stream().noneMatch(Hierarchy::v2)) {
                found.add(new Hierarchy(mountPoint, controllers, v2, ownPath));
            }
        }
        return List.copyOf(found);
    }

}
