package dev.vessel.runtime.plan;

import dev.vessel.runtime.cgroup.Cgroup;
import dev.vessel.runtime.seccomp.SeccompCompiler;
import dev.vessel.runtime.spec.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a validated spec into the helper's plan: namespaces, the rootfs (mounts in order, device
 * nodes, pivot_root, masked and read-only paths), sysctls, then the process (rlimits, cwd,
 * identity, capabilities, no_new_privs, seccomp, args and env). Throws IllegalArgumentException
 * with the offending field for anything it cannot apply.
 */
public final class PlanBuilder {
    public static final Map<String, Long> NAMESPACES = Map.of(
            "mount", 0x00020000L, "uts", 0x04000000L, "ipc", 0x08000000L, "user", 0x10000000L,
            "pid", 0x20000000L, "network", 0x40000000L, "cgroup", 0x02000000L);

    private static final List<String> RLIMITS = List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
            "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
            "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    /** The devices every container gets (runtime-spec's default set, in runc's order). */
    private static final List<Spec.Device> DEFAULT_DEVICES = List.of(
            new Spec.Device("c", "/dev/null", 1L, 3L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/random", 1L, 8L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/full", 1L, 7L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/tty", 5L, 0L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/zero", 1L, 5L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/urandom", 1L, 9L, 0666, 0L, 0L));

    private final Spec spec;
    private final Path bundle;
    private final Plan plan = new Plan();

    private PlanBuilder(Spec spec, Path bundle) {
        this.spec = spec;
        this.bundle = bundle;
    }

    /** Checks the parts every command needs, with messages naming the field. */
    public static void validate(Spec spec) {
        if (spec.process() == null) {
            throw new IllegalArgumentException("config.json: process is missing");
        }
        if (spec.process().args() == null || spec.process().args().isEmpty()) {
            throw new IllegalArgumentException("config.json: process.args must name the program to run");
        }
        if (spec.process().cwd() != null && !spec.process().cwd().startsWith("/")) {
            throw new IllegalArgumentException("config.json: process.cwd must be an absolute path, not "
                    + spec.process().cwd());
        }
        if (spec.root() == null || spec.root().path() == null) {
            throw new IllegalArgumentException("config.json: root.path is missing");
        }
    }

    /** The rootfs directory of a bundle (root.path may be relative to the bundle). */
    public static Path rootfs(Spec spec, Path bundle) {
        Path root = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("root.path " + root + " is not a directory");
        }
        return root;
    }

    /** The plan for a new container. */
    public static Plan container(Spec spec, Path bundle, Cgroup cgroup, Path fifo, String consoleSocket) {
        PlanBuilder b = new PlanBuilder(spec, bundle);
        b.namespaces();
        b.rootfs(cgroup);
        b.containerHooks();
        b.process(fifo, consoleSocket);
        return b.plan;
    }

    /** The plan for `exec`: join the container's namespaces, then the process part. */
    public static Plan exec(Spec spec, Spec.Process process, int pid, Set<String> namespaces, String consoleSocket) {
        Spec withProcess = new Spec(spec.ociVersion(), process, spec.root(), spec.hostname(), spec.domainname(),
                spec.mounts(), spec.hooks(), spec.annotations(), spec.linux());
        PlanBuilder b = new PlanBuilder(withProcess, null);
        for (String type : List.of("user", "ipc", "uts", "network", "pid", "cgroup", "mount")) {
            if (namespaces.contains(type)) {
                String file = switch (type) {
                    case "network" -> "net";
                    case "mount" -> "mnt";
                    default -> type;
                };
                b.plan.add("setns", NAMESPACES.get(type), "/proc/" + pid + "/ns/" + file);
            }
        }
        b.process(null, consoleSocket);
        return b.plan;
    }

    private Spec.Linux linux() {
        return spec.linux() == null
                ? new Spec.Linux(null, null, null, null, null, null, null, null, null, null, null, null)
                : spec.linux();
    }

    /** The namespace types the spec asks for (new or joined). */
    public static Set<String> namespaceTypes(Spec spec) {
        Set<String> types = new HashSet<>();
        if (spec.linux() != null && spec.linux().namespaces() != null) {
            for (Spec.Namespace ns : spec.linux().namespaces()) {
                types.add(ns.type());
            }
        }
        return types;
    }

    private void namespaces() {
        long flags = 0;
        Set<String> seen = new HashSet<>();
        List<Spec.Namespace> list = linux().namespaces() == null ? List.of() : linux().namespaces();
        for (Spec.Namespace ns : list) {
            Long flag = NAMESPACES.get(ns.type());
            if (flag == null) {
                throw new IllegalArgumentException("linux.namespaces: unsupported namespace type " + ns.type());
            }
            if (!seen.add(ns.type())) {
                throw new IllegalArgumentException("linux.namespaces: " + ns.type() + " is listed twice");
            }
            if (ns.path() != null && !ns.path().isEmpty()) {
                if (!Files.exists(Path.of(ns.path()))) {
                    throw new IllegalArgumentException("linux.namespaces: " + ns.type() + " path " + ns.path()
                            + " does not exist");
                }
                plan.add("setns", flag, ns.path());
            } else {
                flags |= flag;
            }
        }
        if (!seen.contains("mount")) {
            throw new IllegalArgumentException("linux.namespaces: a mount namespace is required");
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !seen.contains("uts")) {
            throw new IllegalArgumentException("hostname needs a uts namespace in linux.namespaces");
        }
        if (!seen.contains("user") && (linux().uidMappings() != null && !linux().uidMappings().isEmpty())) {
            throw new IllegalArgumentException("linux.uidMappings need a user namespace in linux.namespaces");
        }
        plan.add("clone", "0x" + Long.toHexString(flags));
        if ((flags & NAMESPACES.get("user")) != 0) {
            plan.add("userns");
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            plan.add("hostname", spec.hostname());
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            plan.add("domainname", spec.domainname());
        }
    }

    private boolean userNamespace() {
        return namespaceTypes(spec).contains("user");
    }

    private void rootfs(Cgroup cgroup) {
        Path root = rootfs(spec, bundle);
        plan.add("rootfs", root);
        long propagation = linux().rootfsPropagation() == null || linux().rootfsPropagation().isEmpty()
                ? MountOptions.MS_SLAVE | MountOptions.MS_REC
                : MountOptions.propagation(linux().rootfsPropagation());
        plan.add("propagation", propagation);
        boolean devMounted = false;
        List<Spec.Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            Spec.Mount m = mounts.get(i);
            String where = "mounts[" + i + "]";
            if (m.destination() == null || !m.destination().startsWith("/")) {
                throw new IllegalArgumentException(where + ".destination must be an absolute path");
            }
            if (m.destination().contains("/../") || m.destination().endsWith("/..")) {
                throw new IllegalArgumentException(where + ".destination must not contain ..");
            }
            String dest = root + m.destination();
            MountOptions options = MountOptions.parse(m.options());
            String type = m.type() == null ? "" : m.type();
            if (type.equals("bind")) {
                options = new MountOptions(options.flags() | MountOptions.MS_BIND, options.propagation(), options.data());
            }
            devMounted |= m.destination().equals("/dev");
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                cgroupMount(root, dest, options, cgroup);
                continue;
            }
            String source = m.source() == null ? type : m.source();
            if (options.bind()) {
                Path src = bundle.resolve(source).normalize();
                if (!Files.exists(src)) {
                    throw new IllegalArgumentException(where + ": bind source " + src + " does not exist");
                }
                source = src.toString();
            }
            plan.add("mount", source, dest, type.isEmpty() ? "none" : type, options.flags(), options.propagation(),
                    options.data());
        }
        devices(root, devMounted);
        plan.add("pivot");
        if (spec.root().readonly() != null && spec.root().readonly()) {
            plan.add("readonly");
        }
        if (linux().sysctl() != null) {
            for (Map.Entry<String, String> e : linux().sysctl().entrySet()) {
                if (e.getKey().contains("/") || e.getKey().contains("..")) {
                    throw new IllegalArgumentException("linux.sysctl: invalid key " + e.getKey());
                }
                plan.add("sysctl", e.getKey(), e.getValue());
            }
        }
        if (linux().readonlyPaths() != null) {
            for (String path : linux().readonlyPaths()) {
                plan.add("ro", path);
            }
        }
        if (linux().maskedPaths() != null) {
            for (String path : linux().maskedPaths()) {
                plan.add("mask", path);
            }
        }
    }

    /**
     * cgroup mounts: on v1 a tmpfs with the container's cgroup of each hierarchy bound under it
     * (as runc does); on v2 the container's cgroup directory bound at the destination.
     */
    private void cgroupMount(Path root, String dest, MountOptions options, Cgroup cgroup) {
        long attrs = options.flags() & (MountOptions.MS_RDONLY | MountOptions.MS_NOSUID | MountOptions.MS_NODEV
                | MountOptions.MS_NOEXEC | MountOptions.MS_RELATIME);
        List<Path> dirs = cgroup.dirs();
        boolean pureV2 = dirs.size() == 1;
        if (pureV2) {
            plan.add("mount", dirs.getFirst(), dest, "none", MountOptions.MS_BIND | MountOptions.MS_REC | attrs, 0, "");
            return;
        }
        plan.add("mount", "tmpfs", dest, "tmpfs", attrs & ~MountOptions.MS_RDONLY & ~MountOptions.MS_RELATIME, 0,
                "mode=755");
        for (Path dir : dirs) {
            if (dir.startsWith("/sys/fs/cgroup/unified")) {
                continue; // hybrid hosts: the controller-less v2 tree stays out, as with runc
            }
            // /sys/fs/cgroup/<name>/<path...> -> <dest>/<name>
            Path hostMount = dir;
            while (hostMount.getParent() != null && !hostMount.getParent().toString().equals("/sys/fs/cgroup")) {
                hostMount = hostMount.getParent();
            }
            String name = hostMount.getFileName().toString();
            plan.add("mount", dir, dest + "/" + name, "none", MountOptions.MS_BIND | MountOptions.MS_REC | attrs, 0, "");
        }
    }

    private void devices(Path root, boolean devMounted) {
        List<Spec.Device> devices = new ArrayList<>(DEFAULT_DEVICES);
        if (linux().devices() != null) {
            devices.addAll(linux().devices());
        }
        plan.add("mkdir", root + "/dev", "0755");
        boolean user = userNamespace();
        Set<String> done = new HashSet<>();
        for (Spec.Device d : devices) {
            if (d.path() == null || !d.path().startsWith("/dev/")) {
                throw new IllegalArgumentException("linux.devices: path " + d.path() + " must be under /dev");
            }
            if (!done.add(d.path())) {
                continue;
            }
            Path parent = Path.of(d.path()).getParent();
            if (!parent.toString().equals("/dev")) {
                plan.add("mkdir", root + parent.toString(), "0755");
            }
            if (user) {
                plan.add("bindnode", root + d.path());
                continue;
            }
            int typeBits = switch (d.type() == null ? "" : d.type()) {
                case "c", "u" -> 0020000;
                case "b" -> 0060000;
                case "p" -> 0010000;
                default -> throw new IllegalArgumentException("linux.devices: " + d.path() + " has invalid type " + d.type());
            };
            int mode = d.fileMode() == null ? 0666 : d.fileMode();
            long major = d.major() == null ? 0 : d.major();
            long minor = d.minor() == null ? 0 : d.minor();
            plan.add("mknod", root + d.path(), "0" + Integer.toOctalString(typeBits | (mode & 07777)), major, minor,
                    (d.uid() == null ? 0 : d.uid()) + ":" + (d.gid() == null ? 0 : d.gid()));
        }
        if (devMounted || Files.isDirectory(root.resolve("dev"))) {
            plan.add("symlink", "/proc/self/fd", root + "/dev/fd");
            plan.add("symlink", "/proc/self/fd/0", root + "/dev/stdin");
            plan.add("symlink", "/proc/self/fd/1", root + "/dev/stdout");
            plan.add("symlink", "/proc/self/fd/2", root + "/dev/stderr");
            plan.add("symlink", "pts/ptmx", root + "/dev/ptmx");
        }
    }

    /** True when the helper runs hooks, and so reads the state JSON after the go byte. */
    public static boolean hasContainerHooks(Spec spec) {
        return spec.hooks() != null && (notEmpty(spec.hooks().createContainer()) || notEmpty(spec.hooks().startContainer()));
    }

    /** True when Java runs prestart or createRuntime hooks while the container waits, its mounts done. */
    public static boolean hasRuntimeHooks(Spec spec) {
        return spec.hooks() != null && (notEmpty(spec.hooks().prestart()) || notEmpty(spec.hooks().createRuntime()));
    }

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }

    /** createContainer and startContainer hooks: the helper runs them inside the container's namespaces. */
    private void containerHooks() {
        if (spec.hooks() == null) {
            return;
        }
        if (hasRuntimeHooks(spec)) {
            plan.add("synchooks"); // stop after the mounts for Java's prestart and createRuntime hooks
        }
        hooks("createContainer", spec.hooks().createContainer());
        hooks("startContainer", spec.hooks().startContainer());
    }

    private void hooks(String phase, List<Spec.Hook> hooks) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Spec.Hook hook = hooks.get(i);
            if (hook.path() == null || !hook.path().startsWith("/")) {
                throw new IllegalArgumentException("hooks." + phase + "[" + i + "].path must be absolute");
            }
            if (hook.timeout() != null && hook.timeout() <= 0) {
                throw new IllegalArgumentException("hooks." + phase + "[" + i + "].timeout must be positive");
            }
            plan.add("hook", phase, hook.path(), hook.timeout() == null ? 0 : hook.timeout());
            for (String arg : hook.args() == null ? List.<String>of() : hook.args()) {
                plan.add("hookarg", arg);
            }
            for (String env : hook.env() == null ? List.<String>of() : hook.env()) {
                plan.add("hookenv", env);
            }
        }
    }

    private void process(Path fifo, String consoleSocket) {
        Spec.Process p = spec.process();
        if (p.rlimits() != null) {
            for (Spec.Rlimit r : p.rlimits()) {
                int resource = RLIMITS.indexOf(r.type());
                if (resource < 0) {
                    throw new IllegalArgumentException("process.rlimits: unknown type " + r.type());
                }
                if (r.soft() == null || r.hard() == null || r.soft().signum() < 0 || r.hard().signum() < 0) {
                    throw new IllegalArgumentException("process.rlimits: " + r.type() + " needs soft and hard");
                }
                plan.add("rlimit", resource, r.soft(), r.hard());
            }
        }
        plan.add("cwd", p.cwd() == null ? "/" : p.cwd());
        if (Boolean.TRUE.equals(p.terminal())) {
            if (consoleSocket == null) {
                throw new IllegalArgumentException("process.terminal is true: give --console-socket (or set it to false)");
            }
            plan.add("console", consoleSocket);
        }
        if (fifo != null) {
            plan.add("fifo", fifo);
        }
        Spec.User user = p.user();
        if (user != null) {
            plan.add("uid", user.uid() == null ? 0 : user.uid());
            plan.add("gid", user.gid() == null ? 0 : user.gid());
            if (user.additionalGids() != null) {
                for (Long gid : user.additionalGids()) {
                    plan.add("group", gid);
                }
            }
            if (user.umask() != null) {
                plan.add("umask", "0" + Integer.toOctalString(user.umask()));
            }
        }
        Spec.Capabilities c = p.capabilities();
        if (c == null) {
            c = new Spec.Capabilities(null, null, null, null, null);
        }
        plan.add("caps", Long.toHexString(Capabilities.mask(c.bounding(), "process.capabilities.bounding")),
                Long.toHexString(Capabilities.mask(c.effective(), "process.capabilities.effective")),
                Long.toHexString(Capabilities.mask(c.permitted(), "process.capabilities.permitted")),
                Long.toHexString(Capabilities.mask(c.inheritable(), "process.capabilities.inheritable")),
                Long.toHexString(Capabilities.mask(c.ambient(), "process.capabilities.ambient")));
        if (Boolean.TRUE.equals(p.noNewPrivileges())) {
            plan.add("nnp");
        }
        if (linux().seccomp() != null) {
            plan.add("seccomp", SeccompCompiler.toHex(SeccompCompiler.compile(linux().seccomp())));
        }
        plan.add("path", p.args().getFirst());
        for (String arg : p.args()) {
            plan.add("arg", arg);
        }
        if (p.env() != null) {
            for (String env : p.env()) {
                plan.add("env", env);
            }
        }
    }
}
