package dev.vessel.runtime.cgroup;

import dev.vessel.runtime.spec.Spec;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A container's cgroup: one directory per mounted hierarchy (v1 controllers, the v2 unified
 * hierarchy, or both on a hybrid host), always inside this process's own cgroup subtree.
 */
public final class Cgroup {
    private final List<Hierarchy> hierarchies;
    private final List<Path> dirs;

    private Cgroup(List<Hierarchy> hierarchies, List<Path> dirs) {
        this.hierarchies = hierarchies;
        this.dirs = dirs;
    }

    public List<Path> dirs() {
        return dirs;
    }

    /** The directories a container's state recorded (for later commands). */
    public static Cgroup of(List<String> dirs) throws IOException {
        List<Hierarchy> all = Hierarchy.detect();
        List<Hierarchy> matched = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (String dir : dirs) {
            Path path = Path.of(dir);
            for (Hierarchy h : all) {
                if (path.startsWith(h.mountPoint())) {
                    matched.add(h);
                    paths.add(path);
                    break;
                }
            }
        }
        return new Cgroup(matched, paths);
    }

    /** Where the container's cgroup goes; rejects paths outside the runtime's own subtree. */
    public static Cgroup resolve(String cgroupsPath, String id) throws IOException {
        return resolve(cgroupsPath, id, null);
    }

    /**
     * As above; an absolute cgroupsPath must be under {@code allowedRoot} (the same path in every
     * hierarchy) when given, else under the runtime's own cgroup. A runc stand-in needs it: podman
     * and conmon put the runtime in one cgroup (…/conmon) and the container in a sibling.
     */
    public static Cgroup resolve(String cgroupsPath, String id, String allowedRoot) throws IOException {
        if (allowedRoot != null && (!allowedRoot.startsWith("/") || List.of(allowedRoot.split("/")).contains(".."))) {
            throw new IllegalArgumentException("--cgroup-root " + allowedRoot + " must be an absolute cgroup path without ..");
        }
        List<Hierarchy> hierarchies = Hierarchy.detect();
        if (hierarchies.isEmpty()) {
            throw new IOException("no cgroup file system is mounted (see /proc/self/mountinfo)");
        }
        String path = cgroupsPath == null || cgroupsPath.isEmpty() ? id : cgroupsPath;
        if (!path.startsWith("/") && path.split(":").length == 3) {
            String[] parts = path.split(":"); // systemd's slice:prefix:name
            path = parts[0] + "/" + parts[1] + "-" + parts[2] + ".scope";
        }
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("linux.cgroupsPath " + cgroupsPath + " must not contain . or ..");
            }
        }
        List<Path> dirs = new ArrayList<>();
        for (Hierarchy h : hierarchies) {
            if (path.startsWith("/")) {
                String base = allowedRoot != null ? allowedRoot : h.ownPath();
                String own = base.equals("/") ? "" : base.replaceAll("/+$", "");
                if (!path.startsWith(own + "/") || path.length() <= own.length() + 1) {
                    throw new IllegalArgumentException("linux.cgroupsPath " + cgroupsPath + " is outside "
                            + (allowedRoot != null ? "--cgroup-root " + allowedRoot
                                    : "the runtime's own cgroup " + h.ownPath() + " in " + h.mountPoint())
                            + "; use a relative path or one under it");
                }
                dirs.add(h.mountPoint().resolve(path.substring(1)));
            } else {
                dirs.add(h.ownDir().resolve(path));
            }
        }
        return new Cgroup(hierarchies, dirs);
    }

    /** Refuses a cgroup that already holds processes (another container's, most likely). */
    public void checkUnused() throws IOException {
        for (Path dir : dirs) {
            Path procs = dir.resolve("cgroup.procs");
            if (Files.exists(procs) && !Files.readString(procs).isBlank()) {
                throw new IllegalStateException("cgroup " + dir + " already has processes: choose another linux.cgroupsPath");
            }
        }
    }

    /** Makes the directories (and missing parents, inside the own subtree). */
    public void create() throws IOException {
        for (int i = 0; i < dirs.size(); i++) {
            Hierarchy h = hierarchies.get(i);
            Path dir = dirs.get(i);
            List<Path> missing = new ArrayList<>();
            for (Path p = dir; !p.equals(h.ownDir()) && !p.equals(h.mountPoint()) && !Files.exists(p); p = p.getParent()) {
                missing.addFirst(p);
            }
            for (Path p : missing) {
                Files.createDirectory(p);
                if (!h.v2() && h.has("cpuset")) {
                    inherit(p, "cpuset.cpus");
                    inherit(p, "cpuset.mems");
                }
            }
            if (h.v2() && !h.controllers().isEmpty()) {
                enableControllers(h, dir);
            }
        }
    }

    /** A new v1 cpuset starts empty and would refuse tasks: start from the parent's sets. */
    private static void inherit(Path dir, String file) throws IOException {
        Path mine = dir.resolve(file);
        if (Files.readString(mine).isBlank()) {
            Files.writeString(mine, Files.readString(dir.getParent().resolve(file)).trim());
        }
    }

    private static void enableControllers(Hierarchy h, Path dir) throws IOException {
        List<Path> chain = new ArrayList<>();
        for (Path p = dir.getParent(); p.startsWith(h.ownDir()); p = p.getParent()) {
            chain.addFirst(p);
            if (p.equals(h.ownDir())) {
                break;
            }
        }
        for (Path p : chain) {
            Set<String> available = new LinkedHashSet<>(List.of(Files.readString(p.resolve("cgroup.controllers")).trim().split(" ")));
            for (String controller : available) {
                if (controller.isEmpty()) {
                    continue;
                }
                try {
                    Files.writeString(p.resolve("cgroup.subtree_control"), "+" + controller);
                } catch (IOException e) {
                    // A cgroup with processes cannot delegate (no internal processes): limits
                    // of this controller will then fail with a clear message when requested.
                }
            }
        }
    }

    /** Moves a process into the cgroup in every hierarchy. */
    public void join(int pid) throws IOException {
        for (Path dir : dirs) {
            Files.writeString(dir.resolve("cgroup.procs"), Integer.toString(pid));
        }
    }

    public void apply(Spec.Resources resources) throws IOException {
        if (resources != null) {
            new ResourceWriter(hierarchies, dirs).apply(resources);
        }
    }

    /** The pids in the cgroup (from the first hierarchy). */
    public List<Integer> pids() throws IOException {
        List<Integer> pids = new ArrayList<>();
        if (dirs.isEmpty()) {
            return pids;
        }
        try {
            for (String line : Files.readAllLines(dirs.getFirst().resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    pids.add(Integer.parseInt(line.trim()));
                }
            }
        } catch (NoSuchFileException e) {
            // already removed
        }
        return pids;
    }

    /** Freezes or thaws (v1 freezer or v2 cgroup.freeze); false when no freezer is available. */
    public void freeze(boolean frozen) throws IOException {
        for (int i = 0; i < dirs.size(); i++) {
            Hierarchy h = hierarchies.get(i);
            Path dir = dirs.get(i);
            if (!h.v2() && h.has("freezer")) {
                Path state = dir.resolve("freezer.state");
                Files.writeString(state, frozen ? "FROZEN" : "THAWED");
                // The kernel may report FREEZING for a while: ask again until every task is frozen.
                for (int attempt = 0; frozen && attempt < 1000 && !Files.readString(state).trim().equals("FROZEN"); attempt++) {
                    Files.writeString(state, "FROZEN");
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while freezing " + dir, e);
                    }
                }
                return;
            }
            if (h.v2() && Files.exists(dir.resolve("cgroup.freeze"))) {
                Files.writeString(dir.resolve("cgroup.freeze"), frozen ? "1" : "0");
                if (hierarchies.stream().noneMatch(o -> !o.v2() && o.has("freezer"))) {
                    return;
                }
            }
        }
        throw new IOException("no cgroup freezer is available on this host");
    }

    public boolean frozen() {
        for (int i = 0; i < dirs.size(); i++) {
            Hierarchy h = hierarchies.get(i);
            try {
                if (!h.v2() && h.has("freezer")) {
                    // FREEZING counts: the freeze was asked for and is under way
                    return !Files.readString(dirs.get(i).resolve("freezer.state")).trim().equals("THAWED");
                }
            } catch (IOException e) {
                return false;
            }
        }
        for (Path dir : dirs) {
            try {
                Path events = dir.resolve("cgroup.events");
                if (Files.exists(events) && Files.readString(events).contains("frozen 1")) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Removes the directories (the leaf only; parents the runtime made for a nested relative
     * path are removed when they have become empty). Retries briefly while the last exiting
     * processes leave.
     */
    public void destroy() throws IOException {
        // Every hierarchy is tried, even after one fails: a leaf left in one (a process still
        // leaving it) must not leave the others behind too.
        IOException first = null;
        for (int i = 0; i < dirs.size(); i++) {
            Path own = hierarchies.get(i).ownDir();
            Path leaf = dirs.get(i);
            // The leaf is the container's (made by create, recorded in its state), wherever this
            // runtime runs now: a runc stand-in's delete may run in another cgroup than its create.
            try {
                if (!removeDir(leaf, true)) {
                    continue;
                }
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
                continue;
            }
            for (Path p = leaf.getParent(); p != null && p.startsWith(own) && !p.equals(own); p = p.getParent()) {
                if (!removeDir(p, false)) {
                    break;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static boolean removeDir(Path dir, boolean retry) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.delete(dir);
                return true;
            } catch (NoSuchFileException e) {
                return true;
            } catch (DirectoryNotEmptyException e) {
                return false; // other cgroups below: not ours to remove
            } catch (IOException e) {
                if (!retry || attempt >= 200) {
                    if (!retry) {
                        return false;
                    }
                    throw new IOException("removing cgroup " + dir + ": " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted removing cgroup " + dir, ie);
                }
            }
        }
    }
}
