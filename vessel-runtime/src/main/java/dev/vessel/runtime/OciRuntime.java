package dev.vessel.runtime;

import dev.vessel.os.Errno;
import dev.vessel.os.ErrnoException;
import dev.vessel.os.MountTable;
import dev.vessel.os.Processes;
import dev.vessel.os.Timestamps;
import dev.vessel.os.json.PlainJson;
import dev.vessel.runtime.cgroup.Cgroup;
import dev.vessel.runtime.plan.Plan;
import dev.vessel.runtime.plan.PlanBuilder;
import dev.vessel.runtime.spec.Spec;
import dev.vessel.runtime.spec.SpecReader;
import dev.vessel.runtime.state.ContainerState;
import dev.vessel.runtime.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OCI runtime's operations on a state directory (runc's verbs): create, start, state, kill,
 * delete, run, list, ps, pause, resume, update, exec. Each is one short-lived call; containers
 * outlive it (found again by the pid and its start time in state.json).
 */
public final class OciRuntime {
    public static final String OCI_VERSION = "1.0.2";
    public static final Path DEFAULT_ROOT = Path.of("/run/vessel/oci");

    private final StateStore store;
    private final String cgroupRoot;

    public OciRuntime(Path root) {
        this(root, null);
    }

    /** cgroupRoot: where absolute cgroupsPaths may go (null: only under the runtime's own cgroup). */
    public OciRuntime(Path root, String cgroupRoot) {
        this.store = new StateStore(root);
        this.cgroupRoot = cgroupRoot;
    }

    /** Options of create and run. stdio: the container's stdin, stdout, stderr (null: inherit ours). */
    /**
     * @param rootfsMount when not null, what the runtime mounts at root.path before creating the
     *     container, unless something is mounted there already (as containerd's rootfs mounts); a
     *     foreground {@link #run} unmounts it again when the container has exited
     */
    public record CreateOptions(Path pidFile, String consoleSocket, ProcessBuilder.Redirect[] stdio,
            RootfsMount rootfsMount) {
        public CreateOptions(Path pidFile, String consoleSocket, ProcessBuilder.Redirect[] stdio) {
            this(pidFile, consoleSocket, stdio, null);
        }

        public static CreateOptions defaults() {
            return new CreateOptions(null, null, null);
        }

        public CreateOptions withRootfsMount(RootfsMount mount) {
            return new CreateOptions(pidFile, consoleSocket, stdio, mount);
        }
    }

    /** A mount(2) of the root file system: an engine's overlay of image layers, say. */
    public record RootfsMount(String source, String type, long flags, String data) {
    }

    private record Created(ContainerState state, Spec spec, Cgroup cgroup, Helper helper) {
    }

    public ContainerState create(String id, Path bundle, CreateOptions options) throws IOException {
        Created created = create(id, bundle, options, "create");
        created.helper().waitFor();
        created.helper().close();
        return created.state();
    }

    /**
     * create and start for a detached container: the helper becomes the container's monitor (it
     * detaches, keeps the container's stdout and stderr in {@code log}, and writes the exit status
     * to {@code exitFile}, then runs {@code restart} if given). Returns once the container runs.
     * The root file system is mounted first when given (see {@link CreateOptions#rootfsMount}).
     */
    public ContainerState runDetached(String id, Path bundle, Path log, Path exitFile, List<String> restart,
            RootfsMount rootfsMount) throws IOException {
        List<String> args = new ArrayList<>(List.of(log.toString(), exitFile.toString()));
        args.addAll(restart);
        Created created = create(id, bundle, CreateOptions.defaults().withRootfsMount(rootfsMount), "monitor", args);
        try (Helper helper = created.helper()) {
            try {
                helper.go();
                expectStarted(helper);
                startHooks(created.state(), created.spec());
            } catch (IOException | RuntimeException e) {
                kill(created.state(), 9);
                destroy(created.state(), created.spec());
                throw e;
            }
            // The first helper process exits at once; the monitor it forked goes on.
            helper.waitFor();
        }
        return created.state().withStatus("running");
    }

    /** create, start, wait: the container's exit status (then it is deleted, as runc run does). */
    public int run(String id, Path bundle, CreateOptions options) throws IOException {
        Created created = create(id, bundle, options, "run");
        int status;
        try (Helper helper = created.helper()) {
            try {
                // run mode: the start byte goes over the helper's socket (no fifo, no FFM call)
                helper.go();
                expectStarted(helper);
                startHooks(created.state(), created.spec());
            } catch (IOException | RuntimeException e) {
                kill(created.state(), 9);
                helper.waitFor();
                destroy(created.state(), created.spec());
                throw e;
            }
            Trace.mark("started");
            status = helper.waitFor();
            Trace.mark("exited");
        }
        destroy(created.state(), created.spec());
        Trace.mark("deleted");
        return status;
    }

    private Created create(String id, Path bundle, CreateOptions options, String mode) throws IOException {
        return create(id, bundle, options, mode, List.of());
    }

    private Created create(String id, Path bundle, CreateOptions options, String mode, List<String> modeArgs)
            throws IOException {
        StateStore.checkId(id);
        if (Files.exists(store.dir(id))) {
            throw new IllegalStateException("container ID " + id + " is already in use");
        }
        Trace.mark("enter create");
        // The helper starts meanwhile; it waits for the plan (or exits when the create fails first).
        Helper.Launch launch = Helper.Launch.begin(mode, modeArgs, options.stdio());
        Path bundleDir;
        Spec spec;
        Path rootfs;
        Cgroup cgroup;
        Path dir;
        try {
            bundleDir = bundle.toAbsolutePath().normalize();
            spec = SpecReader.read(bundleDir.resolve("config.json"));
            PlanBuilder.validate(spec);
            Trace.mark("config.json read");
            rootfs = PlanBuilder.rootfs(spec, bundleDir);
            cgroup = Cgroup.resolve(spec.linux() == null ? null : spec.linux().cgroupsPath(), id, cgroupRoot);
            Trace.mark("cgroup resolved");
            cgroup.checkUnused();
            dir = store.claim(id);
        } catch (IOException | RuntimeException e) {
            launch.abandon();
            throw e;
        }
        Helper helper = null;
        boolean cgroupMade = false;
        int pid = -1;
        try {
            // create: the helper makes the fifo the container waits on until `start`
            Path fifo = mode.equals("create") ? dir.resolve("exec.fifo") : null;
            Plan plan = PlanBuilder.container(spec, bundleDir, cgroup, fifo, options.consoleSocket());
            RootfsMount rootfsMount = options.rootfsMount();
            if (rootfsMount != null && !MountTable.isMountPoint(rootfs)) {
                plan.add("hostmount", rootfsMount.source(), rootfsMount.type() == null ? "" : rootfsMount.type(),
                        rootfsMount.flags(), rootfsMount.data() == null ? "" : rootfsMount.data());
                if (mode.equals("run")) {
                    plan.add("hostumount");
                }
            }
            Trace.mark("plan built");
            cgroupMade = true;
            cgroup.create();
            cgroup.apply(spec.linux() == null ? null : spec.linux().resources());
            Trace.mark("cgroup made");
            helper = launch.withPlan(plan);
            Trace.mark("helper ready");
            pid = expectPid(helper);
            prepare(pid, spec, cgroup);
            helper.go();
            byte[] hookState = spec.hooks() == null ? null
                    : hookState(OCI_VERSION, id, pid, "created", bundleDir.toString(), spec.annotations());
            if (PlanBuilder.hasContainerHooks(spec)) {
                helper.sendBlob(hookState);
            }
            if (PlanBuilder.hasRuntimeHooks(spec)) {
                // The container stopped after its mounts, before createContainer and pivot_root (runc's order).
                expectLine(helper, "hooks");
                Hooks.run("prestart", spec.hooks().prestart(), hookState);
                Hooks.run("createRuntime", spec.hooks().createRuntime(), hookState);
                helper.go();
            }
            expectOk(helper);
            Trace.mark("container ready");
            List<String> namespaces = new ArrayList<>(PlanBuilder.namespaceTypes(spec));
            ContainerState state = new ContainerState(OCI_VERSION, id, pid, "created", bundleDir.toString(),
                    rootfs.toString(), Timestamps.now(), "", spec.annotations(), ProcStat.startTime(pid),
                    cgroup.dirs().stream().map(Path::toString).toList(), namespaces);
            store.write(state);
            Trace.mark("state written");
            if (options.pidFile() != null) {
                writeAtomically(options.pidFile().toAbsolutePath(), Integer.toString(pid));
            }
            return new Created(state, spec, cgroup, helper);
        } catch (IOException | RuntimeException e) {
            if (pid > 0) {
                Processes.kill(pid, 9);
                waitGone(pid, ProcStat.startTime(pid));
            }
            if (helper != null) {
                helper.close();
            } else {
                launch.abandon();
            }
            if (cgroupMade) {
                try {
                    cgroup.destroy();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            store.remove(id);
            throw e;
        }
    }

    private static int expectPid(Helper helper) throws IOException {
        String line = helper.readLine();
        if (line == null) {
            int status = helper.waitFor();
            throw new OciException(1, "the native helper exited with status " + status + " before starting the container");
        }
        if (line.startsWith("err ")) {
            throw failure(line);
        }
        if (!line.startsWith("pid ")) {
            throw new IOException("unexpected report from the native helper: " + line);
        }
        return Integer.parseInt(line.substring(4).trim());
    }

    /** run mode: the container ran its startContainer hooks and goes on to exec. */
    private static void expectStarted(Helper helper) throws IOException {
        expectLine(helper, "started");
    }

    private static void expectOk(Helper helper) throws IOException {
        expectLine(helper, "ok");
    }

    private static void expectLine(Helper helper, String expected) throws IOException {
        String line = helper.readLine();
        if (line == null) {
            throw new OciException(1, "the container process exited during its setup");
        }
        if (line.startsWith("err ")) {
            throw failure(line);
        }
        if (!line.equals(expected)) {
            throw new IOException("unexpected report from the native helper: " + line);
        }
    }

    private static OciException failure(String line) {
        String rest = line.substring(4);
        int space = rest.indexOf(' ');
        int status = Integer.parseInt(rest.substring(0, space));
        String message = rest.substring(space + 1);
        return new OciException(status, (message.startsWith("hook ") ? "" : "container setup failed: ") + message);
    }

    /** Before the container process goes on: its id maps, cgroups and OOM score. */
    private static void prepare(int pid, Spec spec, Cgroup cgroup) throws IOException {
        Spec.Linux linux = spec.linux();
        if (linux != null && PlanBuilder.namespaceTypes(spec).contains("user")) {
            writeMap(pid, "uid_map", linux.uidMappings());
            writeMap(pid, "gid_map", linux.gidMappings());
        }
        cgroup.join(pid);
        if (spec.process().oomScoreAdj() != null) {
            Files.writeString(Path.of("/proc/" + pid + "/oom_score_adj"), spec.process().oomScoreAdj().toString());
        }
    }

    private static void writeMap(int pid, String file, List<Spec.IdMapping> mappings) throws IOException {
        if (mappings == null || mappings.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (Spec.IdMapping m : mappings) {
            text.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        try {
            Files.writeString(Path.of("/proc/" + pid + "/" + file), text);
        } catch (IOException e) {
            throw new IllegalArgumentException("linux." + (file.startsWith("uid") ? "uidMappings" : "gidMappings")
                    + ": the kernel refused " + text.toString().strip().replace('\n', ';') + ": " + e.getMessage());
        }
    }

    /** Lets a created container run its program (opens the exec fifo the container waits on). */
    public void start(String id) throws IOException {
        ContainerState state = state(id);
        if (!state.status().equals("created")) {
            throw new IllegalStateException("cannot start container " + id + ": it is " + state.status() + ", not created");
        }
        Path fifo = store.dir(id).resolve("exec.fifo");
        int fd;
        try {
            fd = Processes.open(fifo.toString(), Processes.O_RDONLY | Processes.O_NONBLOCK | Processes.O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw new IllegalStateException("cannot start container " + id + ": it was already started");
        }
        String answer = "";
        try {
            // "0" once it goes on to exec; "e" and the message when a startContainer hook failed
            // (one write under PIPE_BUF: it arrives whole)
            while ((answer = readSome(fd)).isEmpty()) {
                if (ProcStat.startTime(state.pid()) != state.startTime()) {
                    // It may have taken its start and exited already: the answer is then in the fifo.
                    if (!(answer = readSome(fd)).isEmpty()) {
                        break;
                    }
                    throw new OciException(1, "container " + id + " exited before it could start");
                }
                sleepMillis(1);
            }
        } finally {
            Processes.close(fd);
            Files.deleteIfExists(fifo);
        }
        if (answer.startsWith("e")) {
            throw new OciException(1, "cannot start container " + id + ": " + answer.substring(1).strip());
        }
        startHooks(state, specOf(state));
    }

    private static void startHooks(ContainerState state, Spec spec) throws IOException {
        if (spec != null && spec.hooks() != null) {
            byte[] json = hookState(state.withStatus("running"));
            // startContainer ran in the container just before its program (vessel-helper.c)
            Hooks.run("poststart", spec.hooks().poststart(), json);
        }
    }

    /** What the fifo holds now ("" when nothing yet). */
    private static String readSome(int fd) throws IOException {
        try {
            return new String(Processes.read(fd, 4096), java.nio.charset.StandardCharsets.UTF_8);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) {
                return "";
            }
            throw e;
        }
    }

    /** The recorded state with the status as it is now. */
    public ContainerState state(String id) throws IOException {
        ContainerState recorded = store.read(id);
        return recorded.withStatus(status(recorded));
    }

    private String status(ContainerState s) {
        long start = ProcStat.startTime(s.pid());
        if (start < 0 || start != s.startTime()) {
            return "stopped";
        }
        if (Files.exists(store.dir(s.id()).resolve("exec.fifo"))) {
            return "created";
        }
        try {
            if (Cgroup.of(s.cgroups()).frozen()) {
                return "paused";
            }
        } catch (IOException e) {
            // no freezer: cannot be paused
        }
        return "running";
    }

    public List<ContainerState> list() throws IOException {
        List<ContainerState> states = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                states.add(state(id));
            } catch (StateStore.NoSuchContainerException e) {
                // deleted meanwhile
            }
        }
        return states;
    }

    public void kill(String id, int signal, boolean all) throws IOException {
        ContainerState state = state(id);
        if (state.status().equals("stopped")) {
            throw new IllegalStateException("container " + id + " is not running");
        }
        if (all) {
            for (int pid : Cgroup.of(state.cgroups()).pids()) {
                Processes.kill(pid, signal);
            }
        } else {
            kill(state, signal);
        }
    }

    private static void kill(ContainerState state, int signal) throws IOException {
        if (ProcStat.startTime(state.pid()) == state.startTime()) {
            Processes.kill(state.pid(), signal);
        }
    }

    public void delete(String id, boolean force) throws IOException {
        ContainerState state;
        try {
            state = state(id);
        } catch (StateStore.NoSuchContainerException e) {
            if (force) {
                return;
            }
            throw e;
        }
        String status = state.status();
        if ((status.equals("running") || status.equals("paused")) && !force) {
            throw new IllegalStateException("cannot delete container " + id + " that is " + status
                    + ": stop it first or use --force");
        }
        destroy(state, specOf(state));
    }

    /** Kills whatever is left, removes the cgroups, runs poststop hooks, removes the state. */
    private void destroy(ContainerState state, Spec spec) throws IOException {
        Cgroup cgroup = Cgroup.of(state.cgroups());
        if (ProcStat.startTime(state.pid()) == state.startTime()) {
            Processes.kill(state.pid(), 9);
        }
        for (int pid : cgroup.pids()) {
            Processes.kill(pid, 9);
        }
        try {
            cgroup.freeze(false); // frozen tasks cannot act on SIGKILL
        } catch (IOException e) {
            // no freezer here
        }
        waitGone(state.pid(), state.startTime());
        for (int i = 0; i < 500 && !cgroup.pids().isEmpty(); i++) {
            for (int pid : cgroup.pids()) {
                Processes.kill(pid, 9);
            }
            sleepMillis(10);
        }
        cgroup.destroy();
        store.remove(state.id());
        if (spec != null && spec.hooks() != null) {
            Hooks.run("poststop", spec.hooks().poststop(), hookState(state.withStatus("stopped")));
        }
    }

    /** Waits until the process is gone, reaping it when it is our child. */
    private static void waitGone(int pid, long startTime) {
        for (int i = 0; i < 1000; i++) {
            long now = ProcStat.startTime(pid);
            if (now < 0 || now != startTime) {
                return;
            }
            try {
                Processes.waitpid(pid, true);
            } catch (IOException e) {
                // not our child: its parent (or init) reaps it
            }
            sleepMillis(5);
        }
    }

    public List<Integer> ps(String id) throws IOException {
        ContainerState state = state(id);
        return Cgroup.of(state.cgroups()).pids();
    }

    public void pause(String id) throws IOException {
        ContainerState state = state(id);
        if (!state.status().equals("running")) {
            throw new IllegalStateException("cannot pause container " + id + ": it is " + state.status());
        }
        Cgroup.of(state.cgroups()).freeze(true);
    }

    public void resume(String id) throws IOException {
        ContainerState state = state(id);
        if (!state.status().equals("paused")) {
            throw new IllegalStateException("cannot resume container " + id + ": it is " + state.status() + ", not paused");
        }
        Cgroup.of(state.cgroups()).freeze(false);
    }

    /** Changes the container's cgroup limits live. */
    public void update(String id, Spec.Resources resources) throws IOException {
        ContainerState state = state(id);
        if (state.status().equals("stopped")) {
            throw new IllegalStateException("cannot update container " + id + ": it is stopped");
        }
        Cgroup.of(state.cgroups()).apply(resources);
    }

    /** Runs another process in a running container's namespaces and cgroups; its exit status. */
    public int exec(String id, Spec.Process process, ProcessBuilder.Redirect[] stdio, Path pidFile) throws IOException {
        return exec(id, process, new ExecOptions(stdio, pidFile, null, false));
    }

    /** As above; with a console socket, the process gets a new pty whose master is sent there (process.terminal). */
    public int exec(String id, Spec.Process process, ProcessBuilder.Redirect[] stdio, Path pidFile, String consoleSocket)
            throws IOException {
        return exec(id, process, new ExecOptions(stdio, pidFile, consoleSocket, false));
    }

    /**
     * Options of exec: stdio (null: inherit ours), the pid file, the console socket that gets the
     * pty master when process.terminal is true, and detach (return once the process runs).
     */
    public record ExecOptions(ProcessBuilder.Redirect[] stdio, Path pidFile, String consoleSocket, boolean detach) {
    }

    /** exec with runc's options: the exit status, or 0 once a detached process runs. */
    public int exec(String id, Spec.Process process, ExecOptions options) throws IOException {
        ContainerState state = state(id);
        // detached: the helper leaves once the pid is reported; the process goes on to exec by itself
        Exec exec = startExec(state, process, options.detach() ? "create" : "run", List.of(), options.stdio(),
                options.consoleSocket());
        try (Helper helper = exec.helper()) {
            if (options.pidFile() != null) {
                writeAtomically(options.pidFile().toAbsolutePath(), Integer.toString(exec.pid()));
            }
            int status = helper.waitFor();
            return options.detach() ? 0 : status;
        }
    }

    /**
     * exec in the background: the helper becomes the process's monitor (as for a detached
     * container), its output goes to {@code log} and its exit status to {@code exitFile}; returns
     * once the process runs.
     */
    public void execDetached(String id, Spec.Process process, Path log, Path exitFile) throws IOException {
        ContainerState state = state(id);
        try (Helper helper = startExec(state, process, "monitor", List.of(log.toString(), exitFile.toString()),
                null, null).helper()) {
            // The first helper process exits at once; the monitor it forked goes on.
            helper.waitFor();
        }
    }

    private record Exec(Helper helper, int pid) {
    }

    /** Starts the helper for an exec: run and monitor modes are started and report it; create mode runs on by itself. */
    private Exec startExec(ContainerState state, Spec.Process process, String mode, List<String> modeArgs,
            ProcessBuilder.Redirect[] stdio, String consoleSocket) throws IOException {
        if (!state.status().equals("running") && !state.status().equals("created")) {
            throw new IllegalStateException("cannot exec in container " + state.id() + ": it is " + state.status());
        }
        Spec spec = specOf(state);
        if (spec == null) {
            throw new IOException("the bundle's config.json of " + state.id() + " is gone");
        }
        PlanBuilder.validate(new Spec(null, process, spec.root(), null, null, null, null, null, null));
        Set<String> namespaces = Set.copyOf(state.namespaces());
        Plan plan = PlanBuilder.exec(spec, process, state.pid(), namespaces, consoleSocket);
        Cgroup cgroup = Cgroup.of(state.cgroups());
        Helper helper = Helper.start(mode, modeArgs, plan, stdio, Helper.newSocketPath());
        try {
            int pid = expectPid(helper);
            cgroup.join(pid);
            helper.go();
            expectOk(helper);
            if (!mode.equals("create")) {
                helper.go(); // start
                expectStarted(helper);
            }
            return new Exec(helper, pid);
        } catch (IOException | RuntimeException e) {
            helper.close();
            throw e;
        }
    }

    private static Spec specOf(ContainerState state) {
        try {
            return SpecReader.read(Path.of(state.bundle()).resolve("config.json"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The runtime-spec state a hook reads on stdin. */
    private static byte[] hookState(ContainerState s) throws IOException {
        return hookState(s.ociVersion(), s.id(), s.pid(), s.status(), s.bundle(), s.annotations());
    }

    private static byte[] hookState(String ociVersion, String id, int pid, String status, String bundle,
                                    Map<String, String> annotations) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ociVersion", ociVersion);
        json.put("id", id);
        json.put("status", status);
        json.put("pid", pid);
        json.put("bundle", bundle);
        json.put("annotations", annotations == null ? Map.of() : annotations);
        return PlainJson.write(json, false);
    }

    /** runc's `state` JSON. */
    public static Map<String, Object> publicState(ContainerState s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ociVersion", s.ociVersion());
        json.put("id", s.id());
        json.put("pid", s.status().equals("stopped") ? 0 : s.pid());
        json.put("status", s.status());
        json.put("bundle", s.bundle());
        json.put("rootfs", s.rootfs());
        json.put("created", s.created());
        if (s.annotations() != null && !s.annotations().isEmpty()) {
            json.put("annotations", s.annotations());
        }
        json.put("owner", s.owner());
        return json;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        dev.vessel.os.AtomicFiles.replace(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
