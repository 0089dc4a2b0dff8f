package dev.vessel.vm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.os.Timestamps;
import dev.vessel.vm.boot.GuestAssets;
import dev.vessel.vm.host.Accelerator;
import dev.vessel.vm.host.QemuBinary;
import dev.vessel.vm.host.VmCgroups;
import dev.vessel.vm.qemu.QemuCommand;
import dev.vessel.vm.qemu.QemuProcess;
import dev.vessel.vm.qemu.RunFiles;
import dev.vessel.vm.qmp.QmpClient;
import dev.vessel.vm.store.VmStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VM lifecycle: create, start, stop, pause, resume, remove, and the state reconciled
 * with the QEMU processes. Every change holds the VM's lock; a failure leaves the recorded
 * state as it was and no QEMU running.
 */
public final class VmManager {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_APPEND = "console=ttyS0 quiet panic=-1 reboot=t";

    private final Path root;
    private final VmStore store;
    private final DiskEngine disks;
    private final Templates templates;

    public VmManager(Path root, DiskEngine disks) {
        this.root = root;
        this.store = new VmStore(root);
        this.disks = disks;
        this.templates = new Templates(root, disks, this);
    }

    public Templates templates() {
        return templates;
    }

    public VmStore store() {
        return store;
    }

    public DiskEngine disks() {
        return disks;
    }

    public RunFiles files(String name) {
        return new RunFiles(store.directory(name));
    }

    // ---------------------------------------------------------------- create

    public VmConfig create(CreateRequest request) throws IOException {
        VmStore.checkName(request.name());
        if (store.exists(request.name())) {
            throw new VmException("a VM named " + request.name() + " already exists");
        }
        if (request.cpus() < 1 || request.cpus() > 64) {
            throw new VmException("--cpus must be between 1 and 64, not " + request.cpus());
        }
        long memoryMiB = Sizes.parse(request.memory() == null ? "512M" : request.memory(), 1L << 20) >> 20;
        if (memoryMiB < 16) {
            throw new VmException("--memory " + request.memory() + " is too small (at least 16M)");
        }
        String kernel = absoluteExisting(request.kernel(), "kernel");
        String initrd = absoluteExisting(request.initrd(), "initrd");
        String cdrom = absoluteExisting(request.cdrom(), "cdrom");
        if (initrd != null && kernel == null) {
            throw new VmException("--initrd needs --kernel");
        }
        String nic = request.nic() == null ? "none" : request.nic();
        if (!nic.equals("none") && !nic.equals("user")) {
            throw new VmException("--nic must be none or user, not " + nic);
        }
        Path templateBase = null;
        if (request.template() != null) {
            templateBase = templates.base(request.template());
        }
        // Check every given disk before making anything.
        for (String disk : request.disks()) {
            if (!Sizes.isSize(disk)) {
                Path file = Path.of(disk).toAbsolutePath();
                if (!Files.isRegularFile(file)) {
                    throw new VmException("disk " + file + " does not exist");
                }
                disks.format(file);
            } else {
                Sizes.parse(disk, 1);
            }
        }
        Path staged = store.stage(request.name());
        try {
            Path finalDir = store.directory(request.name());
            List<VmConfig.VmDisk> vmDisks = new ArrayList<>();
            int index = 0;
            if (templateBase != null) {
                disks.createOverlay(staged.resolve("disk0.qcow2"), templateBase);
                vmDisks.add(new VmConfig.VmDisk(finalDir.resolve("disk0.qcow2").toString(), "qcow2", true));
                index++;
            }
            for (String disk : request.disks()) {
                if (Sizes.isSize(disk)) {
                    String file = "disk" + index + ".qcow2";
                    disks.createQcow2(staged.resolve(file), Sizes.parse(disk, 1));
                    vmDisks.add(new VmConfig.VmDisk(finalDir.resolve(file).toString(), "qcow2", true));
                } else {
                    Path file = Path.of(disk).toAbsolutePath();
                    vmDisks.add(new VmConfig.VmDisk(file.toString(), disks.format(file), false));
                }
                index++;
            }
            VmConfig config = new VmConfig(request.name(), request.cpus(), memoryMiB, List.copyOf(vmDisks),
                    request.template(), kernel, initrd, request.append(), cdrom, nic, Timestamps.now());
            store.publish(staged, request.name(), config, VmState.created());
            return config;
        } finally {
            VmStore.deleteTree(staged);
        }
    }

    private static String absoluteExisting(String file, String what) {
        if (file == null) {
            return null;
        }
        Path path = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new VmException(what + " " + path + " does not exist");
        }
        return path.toString();
    }

    // ---------------------------------------------------------------- state

    /** The VM's state after checking its QEMU: a vanished QEMU makes it stopped with its exit recorded. */
    public VmState state(String name) throws IOException {
        try (VmStore.Lock ignored = store.lock(name)) {
            return reconcile(name);
        }
    }

    /** Call with the VM's lock held. */
    VmState reconcile(String name) throws IOException {
        VmState state = store.state(name);
        RunFiles files = files(name);
        if (state.active()) {
            if (QemuProcess.isOurs(state.pid(), files)) {
                return state;
            }
            return recordExit(name, state, null);
        }
        // A CLI killed during `vm start` may have left a QEMU running before recording it: adopt it.
        Optional<Long> orphan = QemuProcess.livePid(files);
        if (orphan.isPresent()) {
            VmState adopted = new VmState(VmState.RUNNING, orphan.get(), state.accelerator(), Timestamps.now(),
                    null, null, null, state.cgroups(), state.limitNotes());
            store.writeState(name, adopted);
            return adopted;
        }
        return state;
    }

    private VmState recordExit(String name, VmState state, String reason) throws IOException {
        RunFiles files = files(name);
        // QEMU may have died just now: give its launcher script a moment to record the status.
        long deadline = System.currentTimeMillis() + 2000;
        while (QemuProcess.exitStatus(files).isEmpty() && System.currentTimeMillis() < deadline
                && Files.exists(files.script())) {
            sleep(20);
        }
        Integer code = QemuProcess.exitStatus(files).orElse(null);
        String why = reason;
        if (why == null) {
            if (code == null) {
                why = "QEMU exited (status unknown)";
            } else if (code > 128) {
                why = "QEMU was killed by signal " + (code - 128);
            } else if (code == 0) {
                why = "guest powered off";
            } else {
                why = "QEMU exited with status " + code + firstLine(files.stderr());
            }
        }
        VmCgroups.remove(state.cgroups().stream().map(Path::of).toList());
        VmCgroups.removeGroup(cgroupName(name));
        cleanRunFiles(files);
        VmState stopped = new VmState(VmState.STOPPED, 0, state.accelerator(), state.startedAt(),
                Timestamps.now(), code, why, List.of(), List.of());
        store.writeState(name, stopped);
        return stopped;
    }

    private static void cleanRunFiles(RunFiles files) throws IOException {
        Files.deleteIfExists(files.qmpSocket());
        Files.deleteIfExists(files.consoleSocket());
        Files.deleteIfExists(files.pidFile());
    }

    private static String firstLine(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text.lines().filter(l -> !l.isBlank()).findFirst().orElse("")
                    .replaceFirst("^qemu-system-x86_64: ", "");
        } catch (IOException e) {
            return "";
        }
    }

    /** The VM's cgroup name: unique per VM directory, so two roots never share one. */
    private String cgroupName(String name) {
        return name + "-" + Integer.toHexString(store.directory(name).toString().hashCode());
    }

    public List<String> names() throws IOException {
        return store.names();
    }

    // ---------------------------------------------------------------- start

    public VmState start(String name) throws IOException {
        try (VmStore.Lock ignored = store.lock(name)) {
            VmState state = reconcile(name);
            if (state.active()) {
                throw new VmException("VM " + name + " is already " + state.status());
            }
            return startLocked(name, state);
        }
    }

    private VmState startLocked(String name, VmState previous) throws IOException {
        VmConfig config = store.config(name);
        RunFiles files = files(name);
        checkSocketPath(files.qmpSocket());
        for (VmConfig.VmDisk disk : config.disks()) {
            if (!Files.isRegularFile(Path.of(disk.path()))) {
                throw new VmException("cannot start " + name + ": disk " + disk.path() + " does not exist");
            }
        }
        checkDisksNotHeld(config);
        String kernel = config.kernel();
        String initrd = config.initrd();
        String append = config.append();
        if (kernel != null && !Files.isRegularFile(Path.of(kernel))) {
            throw new VmException("cannot start " + name + ": kernel " + kernel + " does not exist");
        }
        if (initrd != null && !Files.isRegularFile(Path.of(initrd))) {
            throw new VmException("cannot start " + name + ": initrd " + initrd + " does not exist");
        }
        if (kernel == null && config.cdrom() == null) {
            GuestAssets assets = GuestAssets.forHost(root.resolve("vm-assets"));
            kernel = assets.kernel().toString();
            initrd = assets.initramfs().toString();
        }
        if (kernel != null && append == null) {
            append = DEFAULT_APPEND + (config.disks().isEmpty() ? "" : " root=/dev/vda");
        }
        if (!QemuBinary.available()) {
            throw new VmException("cannot start " + name + ": " + QemuBinary.path()
                    + " not found (Debian: qemu-system-x86)");
        }
        String accelerator = Accelerator.choose(root).accelerator();
        List<String> command = QemuCommand.build(QemuBinary.path(), config, accelerator, files, kernel, initrd, append);
        VmCgroups.Placement placement = VmCgroups.create(cgroupName(name), config.memoryMiB() << 20, config.cpus());
        cleanRunFiles(files);
        Files.deleteIfExists(files.exitCode());
        Files.deleteIfExists(files.stderr());
        Files.deleteIfExists(files.consoleLog());
        QemuProcess.spawn(files, command, placement.directories());
        long pid;
        try {
            pid = awaitQemuReady(name, files);
        } catch (RuntimeException | IOException e) {
            QemuProcess.livePid(files).ifPresent(p -> {
                QemuProcess.kill(p);
                QemuProcess.awaitExit(p, files, 5000);
            });
            VmCgroups.remove(placement.directories());
            cleanRunFiles(files);
            store.writeState(name, previous);
            throw e;
        }
        VmState running = new VmState(VmState.RUNNING, pid, accelerator, Timestamps.now(), null, null, null,
                placement.directories().stream().map(Path::toString).toList(), placement.notes());
        store.writeState(name, running);
        return running;
    }

    // Ready = QEMU wrote its pid file and answers on QMP; a recorded exit status means it died.
    private long awaitQemuReady(String name, RunFiles files) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> exit = QemuProcess.exitStatus(files);
            if (exit.isPresent()) {
                throw new VmException("cannot start " + name + ": QEMU exited with status " + exit.get()
                        + firstLine(files.stderr()));
            }
            Optional<Long> pid = QemuProcess.livePid(files);
            if (pid.isPresent() && Files.exists(files.qmpSocket())) {
                try (QmpClient qmp = QmpClient.connect(files.qmpSocket())) {
                    qmp.execute("query-status");
                    return pid.get();
                } catch (IOException e) {
                    // Not listening yet, or QEMU died while we talked: the next turn's exit status says which.
                }
            }
            sleep(20);
        }
        throw new VmException("cannot start " + name + ": QEMU did not come up within "
                + START_TIMEOUT.toSeconds() + " s" + firstLine(files.stderr()));
    }

    private void checkDisksNotHeld(VmConfig config) throws IOException {
        for (String other : store.names()) {
            if (other.equals(config.name())) {
                continue;
            }
            VmState state = store.state(other);
            if (!state.active() || !QemuProcess.isOurs(state.pid(), files(other))) {
                continue;
            }
            for (VmConfig.VmDisk mine : config.disks()) {
                for (VmConfig.VmDisk theirs : store.config(other).disks()) {
                    if (sameFile(mine.path(), theirs.path())) {
                        throw new VmException("cannot start " + config.name() + ": disk " + mine.path()
                                + " is in use by running VM " + other);
                    }
                }
            }
        }
    }

    private static boolean sameFile(String a, String b) {
        try {
            return Files.isSameFile(Path.of(a), Path.of(b));
        } catch (IOException e) {
            return a.equals(b);
        }
    }

    private static void checkSocketPath(Path socket) {
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 100) {
            throw new VmException("the VM directory path is too long for a unix socket (" + socket
                    + "): use a shorter --root");
        }
    }

    // ---------------------------------------------------------------- stop, pause, resume

    /** ACPI power-down, then SIGKILL after timeoutSeconds (at once with force). */
    public VmState stop(String name, int timeoutSeconds, boolean force) throws IOException {
        try (VmStore.Lock ignored = store.lock(name)) {
            VmState state = reconcile(name);
            if (!state.active()) {
                return state;
            }
            return stopLocked(name, state, timeoutSeconds, force);
        }
    }

    private VmState stopLocked(String name, VmState state, int timeoutSeconds, boolean force) throws IOException {
        RunFiles files = files(name);
        String reason = "stopped by vessel vm stop";
        if (!force) {
            try (QmpClient qmp = QmpClient.connect(files.qmpSocket())) {
                if (state.status().equals(VmState.PAUSED)) {
                    qmp.execute("cont");
                }
                qmp.execute("system_powerdown");
            } catch (IOException e) {
                // QEMU is going or gone; the kill below settles it
            }
            if (!QemuProcess.awaitExit(state.pid(), files, timeoutSeconds * 1000L)) {
                reason = "killed after the guest ignored the power-down for " + timeoutSeconds + " s";
                QemuProcess.kill(state.pid());
                QemuProcess.awaitExit(state.pid(), files, 10_000);
            }
        } else {
            reason = "killed by vessel vm stop --force";
            QemuProcess.kill(state.pid());
            QemuProcess.awaitExit(state.pid(), files, 10_000);
        }
        if (QemuProcess.isOurs(state.pid(), files)) {
            throw new VmException("QEMU of " + name + " (pid " + state.pid() + ") did not exit");
        }
        return recordExit(name, state, reason);
    }

    public VmState pause(String name) throws IOException {
        return changeRunState(name, VmState.RUNNING, "stop", VmState.PAUSED);
    }

    public VmState resume(String name) throws IOException {
        return changeRunState(name, VmState.PAUSED, "cont", VmState.RUNNING);
    }

    private VmState changeRunState(String name, String from, String command, String to) throws IOException {
        try (VmStore.Lock ignored = store.lock(name)) {
            VmState state = reconcile(name);
            if (!state.status().equals(from)) {
                throw new VmException("VM " + name + " is " + state.status() + ", not " + from);
            }
            try (QmpClient qmp = QmpClient.connect(files(name).qmpSocket())) {
                qmp.execute(command);
            }
            VmState changed = state.withStatus(to);
            store.writeState(name, changed);
            return changed;
        }
    }

    public VmState restart(String name, int timeoutSeconds) throws IOException {
        try (VmStore.Lock ignored = store.lock(name)) {
            VmState state = reconcile(name);
            if (state.active()) {
                state = stopLocked(name, state, timeoutSeconds, false);
            }
            return startLocked(name, state);
        }
    }

    /** Removes the VM, its Vessel-made disks and run files; a running VM only with force (killed). */
    public void remove(String name, boolean force) throws IOException {
        try (VmStore.Lock ignored = store.lock(name)) {
            VmState state = reconcile(name);
            if (state.active()) {
                if (!force) {
                    throw new VmException("VM " + name + " is " + state.status() + ": stop it first or use -f");
                }
                stopLocked(name, state, 0, true);
            }
            VmCgroups.removeGroup(cgroupName(name));
            store.delete(name);
        }
        templates.collectLayers();
    }

    /** Runs QMP commands on a running VM (for snapshots and tests). */
    public <T> T withQmp(String name, QmpAction<T> action) throws IOException {
        try (VmStore.Lock ignored = store.lock(name)) {
            VmState state = reconcile(name);
            if (!state.active()) {
                throw new VmException("VM " + name + " is not running");
            }
            try (QmpClient qmp = QmpClient.connect(files(name).qmpSocket())) {
                return action.run(qmp, state);
            }
        }
    }

    /** Work done over one QMP connection. */
    public interface QmpAction<T> {
        T run(QmpClient qmp, VmState state) throws IOException;
    }

    /** The accelerator VMs on this host use, and why. */
    public Accelerator.Choice accelerator() {
        return Accelerator.choose(root);
    }

    static JsonNode runJob(QmpClient qmp, String command, Map<String, Object> arguments, String jobId,
            Duration timeout) throws IOException {
        qmp.execute(command, arguments);
        qmp.awaitEvent(e -> e.name().equals("JOB_STATUS_CHANGE") && jobId.equals(e.text("id"))
                && "concluded".equals(e.text("status")), timeout);
        JsonNode jobs = qmp.execute("query-jobs");
        String error = null;
        for (JsonNode job : jobs) {
            if (jobId.equals(job.path("id").asText()) && job.has("error")) {
                error = job.get("error").asText();
            }
        }
        qmp.execute("job-dismiss", Map.of("id", jobId));
        if (error != null) {
            throw new VmException(command + " failed: " + error);
        }
        return jobs;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
