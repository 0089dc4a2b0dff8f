package dev.vessel.vm;

/**
 * What a VM is doing as last recorded (ROOT/vms/NAME/state.json); {@link VmManager}
 * reconciles it with the QEMU process before showing it.
 *
 * @param status      created, running, paused or stopped
 * @param pid         QEMU's process id while it runs, else 0
 * @param accelerator kvm or tcg of the current or last run
 * @param exitCode    QEMU's exit status of the last run (128+N when killed by signal N), or null
 * @param exitReason  why it stopped, in words
 * @param cgroups     the cgroup directories of the current run
 * @param limitNotes  limits that could not be applied in the current run, and why
 */
public record VmState(
        String status,
        long pid,
        String accelerator,
        String startedAt,
        String stoppedAt,
        Integer exitCode,
        String exitReason,
        java.util.List<String> cgroups,
        java.util.List<String> limitNotes) {

    public VmState {
        cgroups = cgroups == null ? java.util.List.of() : cgroups;
        limitNotes = limitNotes == null ? java.util.List.of() : limitNotes;
    }

    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String STOPPED = "stopped";

    public static VmState created() {
        return new VmState(CREATED, 0, null, null, null, null, null, java.util.List.of(), java.util.List.of());
    }

    public boolean active() {
        return status.equals(RUNNING) || status.equals(PAUSED);
    }

    public VmState withStatus(String newStatus) {
        return new VmState(newStatus, pid, accelerator, startedAt, stoppedAt, exitCode, exitReason, cgroups, limitNotes);
    }
}
