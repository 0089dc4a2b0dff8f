package dev.vessel.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.engine.container.ContainerConfig;
import dev.vessel.engine.container.ContainerIds;
import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.engine.container.ContainerState;
import dev.vessel.engine.container.ContainerStore;
import dev.vessel.engine.container.CreateRequest;
import dev.vessel.engine.container.ExecRequest;
import dev.vessel.engine.container.HostConfig;
import dev.vessel.engine.rootfs.EtcFiles;
import dev.vessel.engine.rootfs.OverlayRootfs;
import dev.vessel.engine.spec.OciConfigBuilder;
import dev.vessel.engine.spec.SeccompProfiles;
import dev.vessel.engine.spec.ImageUserFiles;
import dev.vessel.engine.spec.UserResolver;
import dev.vessel.engine.stats.CgroupStats;
import dev.vessel.engine.terminal.SignalProxy;
import dev.vessel.engine.terminal.TerminalRelay;
import dev.vessel.engine.volume.Volumes;
import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.layer.LayerDiffWriter;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.os.AtomicFiles;
import dev.vessel.os.MountTable;
import dev.vessel.os.Processes;
import dev.vessel.os.Terminals;
import dev.vessel.os.Timestamps;
import dev.vessel.os.json.JsonObject;
import dev.vessel.os.json.PlainJson;
import dev.vessel.runtime.InitBinary;
import dev.vessel.runtime.OciException;
import dev.vessel.runtime.OciRuntime;
import dev.vessel.runtime.Trace;
import dev.vessel.runtime.spec.Spec;
import dev.vessel.runtime.spec.SpecReader;
import dev.vessel.runtime.state.StateStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's containers: an image becomes an overlay root file system and an OCI bundle, which
 * the runtime runs. One instance per command; all state lives under the Vessel root.
 */
public final class Containers {

    private final Path root;
    private final ImageStore images;
    private final ContainerStore store;
    private final OciRuntime runtime;
    private final Volumes volumes;
    /** The root file system mounts of the bundles this instance prepared, by container ID (for the runtime). */
    private final Map<String, OciRuntime.RootfsMount> preparedMounts = new HashMap<>();

    public Containers(Path root) {
        this.root = root;
        this.images = ImageStore.open(root);
        this.store = new ContainerStore(root);
        this.runtime = new OciRuntime(root.resolve("run").resolve("oci"));
        this.volumes = new Volumes(root);
    }

    public Path root() {
        return root;
    }

    public ContainerStore store() {
        return store;
    }

    public OciRuntime runtime() {
        return runtime;
    }

    public ImageStore images() {
        return images;
    }

    public Volumes volumes() {
        return volumes;
    }

    /** Creates a container (state created): its record, writable layer and bundle. */
    public ContainerRecord create(CreateRequest request) throws IOException {
        Trace.mark("engine create");
        Image image = images.resolve(request.image());
        Trace.mark("image resolved");
        ImageConfig imageConfig = images.config(image);
        Trace.mark("image config read");
        String id = ContainerIds.newId();
        ContainerConfig config = mergeConfig(request, imageConfig.configOrEmpty(), id);
        OciConfigBuilder.arguments(config);
        HostConfig host = request.host().withMounts(Volumes.nameAnonymous(request.host().mounts())).withDefaults();
        ContainerRecord unnamed = new ContainerRecord(id, request.name(), Timestamps.now(),
                image.id().toString(), request.image(), config, host, ContainerState.created(), 0, false);
        ContainerRecord record;
        if (request.name() != null) {
            store.create(unnamed);
            record = unnamed;
        } else {
            record = store.createWithGeneratedName(unnamed);
        }
        Trace.mark("record stored");
        try {
            prepareBundle(record, image);
            Trace.mark("bundle prepared");
        } catch (IOException | RuntimeException e) {
            try {
                stopFiles(record);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            store.remove(id);
            throw e;
        }
        return record;
    }

    /** The image's defaults with the request's overrides, as Docker merges them. */
    static ContainerConfig mergeConfig(CreateRequest request, ImageConfig.Config image, String id) {
        ContainerConfig given = request.config();
        List<String> entrypoint = image.entrypoint();
        List<String> cmd = image.cmd();
        if (request.entrypoint() != null) {
            entrypoint = request.entrypoint().isEmpty() ? null : List.of(request.entrypoint());
            cmd = null;
        }
        if (request.command() != null && !request.command().isEmpty()) {
            cmd = request.command();
        }
        List<String> env = new ArrayList<>(image.env() == null ? List.of() : image.env());
        for (String variable : request.env()) {
            String nameOnly = variable.split("=", 2)[0];
            String value = variable.contains("=") ? variable : fromCaller(variable);
            if (value == null) {
                continue;
            }
            env.removeIf(e -> e.split("=", 2)[0].equals(nameOnly));
            env.add(value);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (image.labels() != null) {
            labels.putAll(image.labels());
        }
        if (given.labels() != null) {
            labels.putAll(given.labels());
        }
        String hostname = given.hostname() != null && !given.hostname().isEmpty() ? given.hostname()
                : ContainerIds.shortId(id);
        String user = given.user() != null && !given.user().isEmpty() ? given.user()
                : image.user() == null ? "" : image.user();
        String workingDir = given.workingDir() != null && !given.workingDir().isEmpty() ? given.workingDir()
                : image.workingDir() == null || image.workingDir().isEmpty() ? "/" : image.workingDir();
        String stopSignal = given.stopSignal() != null ? given.stopSignal()
                : image.stopSignal() != null ? image.stopSignal() : "SIGTERM";
        return new ContainerConfig(hostname, given.domainname(), user, given.attachStdin(), given.tty(),
                given.openStdin(), List.copyOf(env), cmd, request.image(), workingDir, entrypoint, labels, stopSignal,
                given.stopTimeout());
    }

    private static String fromCaller(String name) {
        String value = System.getenv(name);
        return value == null ? null : name + "=" + value;
    }

    private void prepareBundle(ContainerRecord record) throws IOException {
        prepareBundle(record, images.resolve(record.imageId()));
    }

    /**
     * The writable layer over the image's layers, /etc files and config.json. The overlay is left
     * for the runtime to mount ({@link #rootfsMount}) unless the user's ids must be read through it:
     * a container that has not changed the image's files has the image's users, remembered from the
     * first container of that image ({@link ImageUserFiles}).
     */
    private void prepareBundle(ContainerRecord record, Image image) throws IOException {
        Path dir = store.directory(record.id());
        OverlayRootfs rootfs = new OverlayRootfs(dir);
        List<Path> layers = images.layerDirectories(image);
        OciRuntime.RootfsMount mount = rootfs.prepare(layers, emptyLayer());
        boolean unchanged = rootfs.unchanged();
        UserResolver users = unchanged ? ImageUserFiles.remembered(layers) : null;
        if (users == null) {
            rootfs.mount(layers, emptyLayer());
            users = unchanged ? ImageUserFiles.readAndRemember(layers, rootfs.target())
                    : UserResolver.forRoot(rootfs.target());
        }
        preparedMounts.put(record.id(), mount);
        Trace.mark("rootfs prepared");
        UserResolver.ResolvedUser user = users.resolve(record.config().user());
        boolean hostNetwork = "host".equals(record.hostConfig().networkMode());
        OciConfigBuilder.EtcFiles etc = EtcFiles.write(dir, record.config().hostname(), hostNetwork);
        List<OciConfigBuilder.ResolvedMount> mounts = volumes.resolve(record.hostConfig().mounts());
        ObjectNode spec = OciConfigBuilder.build(record.config(), record.hostConfig(), user, mounts, etc,
                seccompProfile(record.hostConfig()), "vessel/" + record.id(),
                record.hostConfig().init() ? InitBinary.path() : null);
        AtomicFiles.write(dir.resolve("bundle").resolve("config.json"), OciConfigBuilder.bytes(spec));
    }

    /**
     * Runs a created or stopped container in the foreground with the caller's stdio and waits
     * for it; returns its exit status.
     */
    public int runAttached(ContainerRecord record) throws IOException {
        return runAttached(record, false);
    }

    /** As {@link #runAttached(ContainerRecord)}; with {@code proxySignals}, vessel's signals go to the container. */
    public int runAttached(ContainerRecord record, boolean proxySignals) throws IOException {
        try (SignalProxy proxy = proxySignals
                ? new SignalProxy(signal -> forwardSignal(record, signal)) : null) {
            return record.config().tty() ? runWithTerminal(record) : runInForeground(record);
        }
    }

    private void forwardSignal(ContainerRecord record, int signal) {
        try {
            runtime.kill(record.id(), signal, false);
        } catch (IOException | RuntimeException notRunning) {
            // not started yet, or already gone
        }
    }

    private int runInForeground(ContainerRecord record) throws IOException {
        return runForeground(record, OciRuntime.CreateOptions.defaults());
    }

    /**
     * The foreground run both plain and terminal runs share: the bundle prepared if needed, the
     * record marked running, the runtime's `run`, then the exit (or the failure) recorded and the
     * root file system unmounted.
     */
    private int runForeground(ContainerRecord record, OciRuntime.CreateOptions options) throws IOException {
        ensurePrepared(record);
        store.update(record.id(), r -> r.withState(r.state().running(0, Timestamps.now())));
        int status;
        try {
            status = runtime.run(record.id(), store.directory(record.id()).resolve("bundle"),
                    options.withRootfsMount(rootfsMount(record)));
        } catch (IOException | RuntimeException e) {
            int failed = e instanceof OciException oci ? oci.status() : 125;
            store.update(record.id(), r -> r.withState(r.state().failed(e.getMessage(), failed)));
            stopFiles(record);
            throw e;
        }
        store.update(record.id(), r -> r.withState(r.state().exited(status, false, Timestamps.now())));
        stopFiles(record);
        return status;
    }

    /**
     * The bundle, made again when a stopped container starts (its user, /etc files and the init's
     * path are read anew, as before every start), unless this command has just made it.
     */
    private void ensurePrepared(ContainerRecord record) throws IOException {
        if (preparedMounts.containsKey(record.id())) {
            return;
        }
        Path dir = store.directory(record.id());
        if (!Files.exists(dir.resolve("bundle").resolve("config.json"))
                || !MountTable.isMountPoint(new OverlayRootfs(dir).target())) {
            prepareBundle(record);
        }
    }

    /**
     * What the runtime mounts as a container's root file system: the overlay of the bundle this
     * command prepared; null when ensurePrepared found it mounted already.
     */
    private OciRuntime.RootfsMount rootfsMount(ContainerRecord record) {
        return preparedMounts.get(record.id());
    }

    private Path emptyLayer() {
        return root.resolve("layers").resolve("empty");
    }

    /**
     * Starts a container in the background under its monitor (the native helper), which keeps its
     * output in the log and records its exit status after this process has gone.
     */
    public ContainerRecord startDetached(ContainerRecord given) throws IOException {
        ContainerRecord record = reconcile(given);
        if (record.state().running()) {
            return record;
        }
        Path dir = store.directory(record.id());
        ensurePrepared(record);
        try {
            runtime.delete(record.id(), true);
        } catch (StateStore.NoSuchContainerException gone) {
            // no runtime state left from an earlier run
        }
        Files.deleteIfExists(exitFile(record));
        List<String> restart = restartCommand(record);
        dev.vessel.runtime.state.ContainerState created;
        try {
            created = runtime.runDetached(record.id(), dir.resolve("bundle"), logFile(record), exitFile(record),
                    restart, rootfsMount(record));
        } catch (IOException | RuntimeException e) {
            int failed = e instanceof OciException oci ? oci.status() : 125;
            store.update(record.id(), r -> r.withState(r.state().failed(e.getMessage(), failed)));
            try {
                runtime.delete(record.id(), true);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            stopFiles(record);
            throw e;
        }
        int pid = created.pid();
        return store.update(record.id(),
                r -> r.withState(r.state().running(pid, Timestamps.now())).withStopRequested(false));
    }

    /**
     * Called by the monitor after a detached container exited (through `vessel __restart`):
     * applies the restart policy as Docker does, with a growing delay between restarts.
     */
    public void applyRestartPolicy(String id) throws IOException {
        ContainerRecord record = reconcile(store.read(id));
        HostConfig.RestartPolicy policy = record.hostConfig().restartPolicy();
        if (record.state().running() || record.stopRequested() || policy == null) {
            return;
        }
        boolean restart = switch (policy.name()) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> record.state().exitCode() != 0
                    && (policy.maximumRetryCount() == 0 || record.restartCount() < policy.maximumRetryCount());
            default -> false;
        };
        if (!restart) {
            return;
        }
        sleep(Math.min(10_000L, 100L << Math.min(record.restartCount(), 7)));
        ContainerRecord counted = store.update(id, r -> r.withRestartCount(r.restartCount() + 1));
        if (!counted.stopRequested()) {
            startDetached(counted);
        }
    }

    public Path logFile(ContainerRecord record) {
        return store.directory(record.id()).resolve("container.log");
    }

    private Path exitFile(ContainerRecord record) {
        return store.directory(record.id()).resolve("exit.json");
    }

    /** The command the monitor runs after the container exits, when a restart policy may apply. */
    private List<String> restartCommand(ContainerRecord record) {
        String launcher = System.getenv("VESSEL_LAUNCHER");
        HostConfig.RestartPolicy policy = record.hostConfig().restartPolicy();
        if (launcher == null || policy == null || policy.name().equals("no")) {
            return List.of();
        }
        return List.of(launcher, "--root", root.toString(), "__restart", record.id());
    }

    /**
     * The record brought up to date with what happened while no vessel command ran: a running
     * container whose process is gone is recorded as exited, with the status its monitor wrote,
     * and its runtime state and mounts are cleaned up.
     */
    public ContainerRecord reconcile(ContainerRecord given) throws IOException {
        ContainerRecord record = store.read(given.id());
        if (!record.state().running()) {
            return record;
        }
        String status;
        try {
            status = runtime.state(record.id()).status();
        } catch (StateStore.NoSuchContainerException gone) {
            status = "stopped";
        }
        if (!status.equals("stopped")) {
            boolean paused = status.equals("paused");
            if (paused != record.state().paused()) {
                return store.update(record.id(), r -> r.withState(r.state().paused(paused)));
            }
            return record;
        }
        ExitRecord exit = readExit(record);
        boolean oomKilled = oomKilled(record);
        try {
            runtime.delete(record.id(), true);
        } catch (StateStore.NoSuchContainerException gone) {
            // already cleaned up
        }
        stopFiles(record);
        return store.update(record.id(), r -> r.state().running()
                ? r.withState(r.state().exited(exit.exitCode(), oomKilled, exit.finishedAt()))
                : r);
    }

    private record ExitRecord(int exitCode, String finishedAt) {
    }

    private ExitRecord readExit(ContainerRecord record) {
        // The monitor writes the record just after the container's end: give it a moment.
        for (int i = 0; i < 250 && !Files.exists(exitFile(record)); i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            JsonObject exit = JsonObject.root(PlainJson.parse(Files.readAllBytes(exitFile(record))));
            return new ExitRecord(exit.integer("ExitCode"), exit.str("FinishedAt"));
        } catch (IOException | RuntimeException e) {
            // The monitor itself was killed: the status is lost, as Docker's is when its shim dies.
            return new ExitRecord(255, Timestamps.now());
        }
    }

    /** Whether the kernel's OOM killer acted in the container's memory cgroup. */
    private boolean oomKilled(ContainerRecord record) {
        try {
            var state = runtime.state(record.id());
            for (String cgroup : state.cgroups()) {
                Path events = Path.of(cgroup).resolve("memory.events");
                Path control = Path.of(cgroup).resolve("memory.oom_control");
                for (Path file : List.of(events, control)) {
                    if (Files.isReadable(file)) {
                        for (String line : Files.readAllLines(file)) {
                            if (line.startsWith("oom_kill ") && !line.equals("oom_kill 0")) {
                                return true;
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup left to ask
        }
        return false;
    }

    /** Every container, brought up to date. */
    public List<ContainerRecord> list() throws IOException {
        List<ContainerRecord> records = new ArrayList<>();
        for (ContainerRecord record : store.list()) {
            records.add(reconcile(record));
        }
        return records;
    }

    public ContainerRecord find(String nameOrId) throws IOException {
        return reconcile(store.resolve(nameOrId));
    }

    /** Sends a signal to a running container's process. */
    public void kill(ContainerRecord record, int signal) throws IOException {
        ContainerRecord current = reconcile(record);
        if (!current.state().running()) {
            throw new IllegalStateException("cannot kill container " + current.name() + ": container "
                    + current.id() + " is not running");
        }
        runtime.kill(current.id(), signal, false);
    }

    /**
     * Stops a container as Docker does: its stop signal, then SIGKILL after the timeout; returns
     * once it has exited.
     */
    public ContainerRecord stop(ContainerRecord record, int signal, int timeoutSeconds) throws IOException {
        ContainerRecord current = reconcile(record);
        if (!current.state().running()) {
            return current;
        }
        store.update(current.id(), r -> r.withStopRequested(true));
        if (current.state().paused()) {
            runtime.resume(current.id());
        }
        try {
            runtime.kill(current.id(), signal, false);
        } catch (IllegalStateException alreadyGone) {
            return reconcile(current);
        }
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            ContainerRecord now = reconcile(current);
            if (!now.state().running()) {
                return now;
            }
            sleep(20);
        }
        try {
            runtime.kill(current.id(), 9, true);
        } catch (IllegalStateException alreadyGone) {
            // exited meanwhile
        }
        for (int i = 0; i < 500; i++) {
            ContainerRecord now = reconcile(current);
            if (!now.state().running()) {
                return now;
            }
            sleep(10);
        }
        throw new IOException("container " + current.name() + " did not stop after SIGKILL");
    }

    /** Freezes or thaws every process of a running container (the freezer cgroup). */
    public void pause(ContainerRecord record, boolean pause) throws IOException {
        ContainerRecord current = reconcile(record);
        if (!current.state().running()) {
            throw new IllegalStateException("Container " + current.id() + " is not running");
        }
        if (pause == current.state().paused()) {
            throw new IllegalStateException("Container " + current.id() + (pause ? " is already paused" : " is not paused"));
        }
        if (pause) {
            runtime.pause(current.id());
        } else {
            runtime.resume(current.id());
        }
        store.update(current.id(), r -> r.withState(r.state().paused(pause)));
    }

    /**
     * Runs another process in a running container (`exec`), with the container's environment plus
     * {@code env}, as {@code user} (resolved in the container's /etc/passwd) in {@code workdir};
     * its exit status. Stdio is the caller's.
     */
    public int exec(ContainerRecord record, List<String> command, List<String> env, String user, String workdir)
            throws IOException {
        return exec(record, new ExecRequest(command, env, user, workdir, true, false, false));
    }

    /** `exec` as the request says; its exit status (0 at once when detached). */
    public int exec(ContainerRecord record, ExecRequest request) throws IOException {
        ContainerRecord current = reconcile(record);
        if (!current.state().running()) {
            throw new IllegalStateException("container " + current.id() + " is not running");
        }
        if (current.state().paused()) {
            throw new IllegalStateException("container " + current.id() + " is paused, unpause the container before exec");
        }
        if (request.command().isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
        Path dir = store.directory(current.id());
        Spec.Process process = execProcess(dir, request);
        if (request.detach()) {
            Path exits = Files.createDirectories(dir.resolve("exec"));
            runtime.execDetached(current.id(), process, Path.of("/dev/null"),
                    exits.resolve(ContainerIds.newId() + ".json"));
            return 0;
        }
        if (request.tty()) {
            return withConsole(current, request.interactive(), socket -> runtime.exec(current.id(), process, null, null, socket));
        }
        ProcessBuilder.Redirect[] stdio = request.interactive() ? null
                : new ProcessBuilder.Redirect[] {ProcessBuilder.Redirect.from(new java.io.File("/dev/null")), null, null};
        return runtime.exec(current.id(), process, stdio, null);
    }

    /** The exec'd process: the container's own, with the request's command, environment, user and directory. */
    private static Spec.Process execProcess(Path dir, ExecRequest request) throws IOException {
        Spec spec = SpecReader.read(dir.resolve("bundle").resolve("config.json"));
        Spec.Process base = spec.process();
        List<String> environment = new ArrayList<>(base.env() == null ? List.of() : base.env());
        if (request.tty() && environment.stream().noneMatch(e -> e.startsWith("TERM="))) {
            environment.add("TERM=xterm");
        }
        for (String variable : request.env()) {
            String name = variable.split("=", 2)[0];
            environment.removeIf(e -> e.split("=", 2)[0].equals(name));
            environment.add(variable);
        }
        Spec.User identity = base.user();
        String user = request.user();
        if (user != null && !user.isEmpty()) {
            UserResolver.ResolvedUser resolved = UserResolver.forRoot(new OverlayRootfs(dir).target()).resolve(user);
            identity = new Spec.User(Integer.toUnsignedLong(resolved.uid()),
                    Integer.toUnsignedLong(resolved.gid()), null,
                    resolved.additionalGids().stream().map(Integer::toUnsignedLong).toList());
        }
        String cwd = request.workdir() != null && !request.workdir().isEmpty() ? request.workdir() : base.cwd();
        return new Spec.Process(request.tty(), identity, request.command(), environment, cwd,
                base.capabilities(), base.rlimits(), base.noNewPrivileges(), null, null, null);
    }

    /** The mount points the runtime creates in a root file system: not the container's own changes. */
    private static final Set<String> RUNTIME_PATHS = Set.of("etc/hostname", "etc/hosts",
            "etc/resolv.conf", InitBinary.CONTAINER_PATH.substring(1));

    /** What the container changed in its file system, as `diff` lists it. */
    public List<LayerDiffWriter.Change> diff(ContainerRecord record) throws IOException {
        Image image = images.resolve(record.imageId());
        Path upper = new OverlayRootfs(store.directory(record.id())).upper();
        List<Path> lowers = images.layerDirectories(image);
        Set<String> created = runtimeCreated(upper, lowers);
        List<LayerDiffWriter.Change> changes = new ArrayList<>(LayerDiffWriter.changes(upper, lowers, created));
        // A directory changed only because the runtime put its mount points there is no change.
        changes.removeIf(c -> c.kind() == 'C' && RUNTIME_PATHS.stream().anyMatch(p -> p.startsWith(c.path().substring(1) + "/"))
                && changes.stream().noneMatch(o -> o.path().startsWith(c.path() + "/")));
        return changes;
    }

    /**
     * The runtime's mount points that are empty files in the upper directory (the image had
     * none), and the directories the runtime made for them (absent from the image, holding nothing else).
     */
    private static Set<String> runtimeCreated(Path upper, List<Path> lowers) throws IOException {
        Set<String> created = new HashSet<>();
        for (String path : RUNTIME_PATHS) {
            Path file = upper.resolve(path);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == 0) {
                created.add(path);
            }
        }
        for (String path : List.copyOf(created)) {
            for (Path dir = Path.of(path).getParent(); dir != null; dir = dir.getParent()) {
                String name = dir.toString();
                boolean inImage = lowers.stream().anyMatch(l -> Files.exists(l.resolve(name), LinkOption.NOFOLLOW_LINKS));
                try (var entries = Files.list(upper.resolve(name))) {
                    if (inImage || !entries.allMatch(e -> created.contains(upper.relativize(e).toString()))) {
                        break;
                    }
                }
                created.add(name);
            }
        }
        return created;
    }

    /**
     * `commit`: the container's changes become a new layer on top of its image, with the
     * container's configuration and a history entry; tagged as {@code reference} when given.
     */
    public Image commit(ContainerRecord record, String reference, String author, String message)
            throws IOException {
        ContainerRecord current = reconcile(record);
        boolean pausedHere = false;
        if (current.state().running() && !current.state().paused()) {
            runtime.pause(current.id());
            pausedHere = true;
        }
        try (StoreWriter writer = images.writer()) {
            Image base = images.resolve(current.imageId());
            ImageConfig baseConfig = images.config(base);
            Manifest baseManifest = images.manifest(base);
            Path upper = new OverlayRootfs(store.directory(current.id())).upper();
            Set<String> created = runtimeCreated(upper, images.layerDirectories(base));
            Path layerFile = writer.newTempPath("commit-layer");
            try (var out = new BufferedOutputStream(Files.newOutputStream(layerFile), 1 << 20)) {
                LayerDiffWriter.write(upper, created, null, out);
            }
            Descriptor layer;
            try (var in = Files.newInputStream(layerFile)) {
                layer = writer.putBlob(in, MediaTypes.OCI_LAYER, null, -1);
            }
            Files.deleteIfExists(layerFile);
            String now = Timestamps.now();
            ContainerConfig c = current.config();
            ImageConfig.Config runConfig = new ImageConfig.Config(emptyToNull(c.user()),
                    baseConfig.configOrEmpty().exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                    baseConfig.configOrEmpty().volumes(), c.workingDir(), c.labels(), c.stopSignal(), null);
            List<Digest> diffIds = new ArrayList<>(baseConfig.diffIds());
            diffIds.add(layer.digest());
            List<ImageConfig.History> history = new ArrayList<>(baseConfig.history() == null ? List.of()
                    : baseConfig.history());
            history.add(new ImageConfig.History(now, String.join(" ", OciConfigBuilder.arguments(c)),
                    emptyToNull(author), emptyToNull(message), null));
            ImageConfig config = new ImageConfig(now, emptyToNull(author), baseConfig.architecture(), baseConfig.os(),
                    baseConfig.variant(), runConfig, new ImageConfig.RootFs("layers", diffIds), history);
            var configBlob = writer.putBlob(Json.bytes(config),
                    MediaTypes.OCI_CONFIG);
            List<Descriptor> layers = new ArrayList<>(baseManifest.layers());
            layers.add(layer);
            Image image = writer.putImage(Json.bytes(
                    Manifest.oci(configBlob, layers)));
            if (reference != null && !reference.isEmpty()) {
                writer.tag(ImageReference.parse(reference), image.manifestDigest());
            }
            writer.commit();
            return image;
        } finally {
            if (pausedHere) {
                runtime.resume(current.id());
            }
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /** Something to do with a container's merged root file system, mounted for the time it takes if needed. */
    public interface RootfsAction<T> {
        T apply(Path rootfs) throws IOException;
    }

    public <T> T withRootfs(ContainerRecord record, RootfsAction<T> action) throws IOException {
        ContainerRecord current = reconcile(record);
        OverlayRootfs rootfs = new OverlayRootfs(store.directory(current.id()));
        boolean mountedHere = false;
        if (!MountTable.isMountPoint(rootfs.target())) {
            rootfs.mount(images.layerDirectories(images.resolve(current.imageId())), emptyLayer());
            mountedHere = true;
        }
        try {
            return action.apply(rootfs.target());
        } finally {
            if (mountedHere && !reconcile(current).state().running()) {
                rootfs.unmount();
            }
        }
    }

    /** A reading of a running container's cgroups. */
    public CgroupStats stats(ContainerRecord record) throws IOException {
        ContainerRecord current = reconcile(record);
        if (!current.state().running()) {
            return new CgroupStats(0, 0, 0, 0);
        }
        var state = runtime.state(current.id());
        return CgroupStats.read(state.cgroups().stream().map(Path::of).toList());
    }

    /** The host pids of a running container's processes. */
    public List<Integer> processes(ContainerRecord record) throws IOException {
        ContainerRecord current = reconcile(record);
        if (!current.state().running()) {
            throw new IllegalStateException("container " + current.id() + " is not running");
        }
        return runtime.ps(current.id());
    }

    /** Blocks until the container is not running; its exit status. */
    public int waitFor(ContainerRecord record) throws IOException {
        while (true) {
            ContainerRecord now = reconcile(record);
            if (!now.state().running()) {
                return now.state().exitCode();
            }
            sleep(25);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /**
     * Runs a container on a pseudo-terminal wired to ours: the runtime hands the pty master over a
     * console socket, our terminal goes raw, keystrokes and output are copied both ways, and
     * window resizes follow ours.
     */
    private int runWithTerminal(ContainerRecord record) throws IOException {
        ensurePrepared(record);
        return withConsole(record, true,
                socket -> runForeground(record, new OciRuntime.CreateOptions(null, socket, null)));
    }

    /** Something run with a console socket: the runtime connects to it and sends the pty master. */
    private interface ConsoleRun {
        int run(String consoleSocket) throws IOException;
    }

    /** Runs with a console socket whose pty is relayed to our terminal (our input too when {@code input}). */
    private int withConsole(ContainerRecord record, boolean input, ConsoleRun run) throws IOException {
        Path socket = root.resolve("run").resolve("console-" + ContainerIds.shortId(record.id()) + "-"
                + ContainerIds.newId().substring(0, 8) + ".sock");
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        int listening = Terminals.listen(socket.toString());
        TerminalRelay relay = new TerminalRelay(listening, input);
        try {
            relay.start();
            return run.run(socket.toString());
        } finally {
            relay.finish();
            Processes.close(listening);
            Files.deleteIfExists(socket);
        }
    }

    /** The seccomp profile --security-opt chose: Vessel's default, a Docker-format file, or none (unconfined). */
    private static JsonNode seccompProfile(HostConfig host) throws IOException {
        List<String> capabilities = OciConfigBuilder.capabilities(host);
        for (String option : host.securityOpt() == null ? List.<String>of() : host.securityOpt()) {
            if (option.startsWith("seccomp=") || option.startsWith("seccomp:")) {
                String value = option.substring("seccomp=".length());
                return value.equals("unconfined") ? null
                        : SeccompProfiles.fromDockerFile(Path.of(value), capabilities);
            }
        }
        return SeccompProfiles.dockerDefault(capabilities);
    }

    /** After a container stops: its root file system is unmounted (the writable layer stays). */
    private void stopFiles(ContainerRecord record) throws IOException {
        new OverlayRootfs(store.directory(record.id())).unmount();
    }

    /** Removes a container; a running one only with force (it is killed first). */
    public void remove(String nameOrId, boolean force, boolean removeVolumes) throws IOException {
        ContainerRecord record = store.resolve(nameOrId);
        String status = liveStatus(record);
        if ((status.equals("running") || status.equals("paused")) && !force) {
            throw new IllegalStateException("cannot remove container \"" + record.name() + "\": container is "
                    + status + ": stop the container before removing or force remove");
        }
        try {
            runtime.delete(record.id(), true);
        } catch (StateStore.NoSuchContainerException gone) {
            // never started, or already deleted
        }
        stopFiles(record);
        store.remove(record.id());
        if (removeVolumes) {
            volumes.removeAnonymous(record.hostConfig().mounts());
        }
    }


    /** The status as it is now: the record's, corrected by what the runtime sees. */
    public String liveStatus(ContainerRecord record) throws IOException {
        return reconcile(record).state().status();
    }
}
