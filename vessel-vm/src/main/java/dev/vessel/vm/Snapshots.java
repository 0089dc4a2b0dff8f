package dev.vessel.vm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.vm.qmp.QmpClient;
import dev.vessel.vm.store.VmStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VM snapshots. A stopped VM's snapshot is disk-only: an internal snapshot of the same name
 * in every disk, made by the disk engine. A running VM's snapshot also holds its RAM and
 * device state, made by QEMU's snapshot-save job (state stored in the first disk), so that
 * reverting puts the running guest back where it was.
 */
public final class Snapshots {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

    private final VmManager vms;

    public Snapshots(VmManager vms) {
        this.vms = vms;
    }

    public void create(String vm, String tag) throws IOException {
        checkTag(tag);
        VmConfig config = qcow2Disks(vm);
        if (list(vm).stream().anyMatch(s -> s.name().equals(tag))) {
            throw new VmException("VM " + vm + " already has a snapshot named " + tag);
        }
        if (running(vm)) {
            vms.withQmp(vm, (qmp, state) -> {
                Map<String, Object> args = jobArguments("snapshot-save", tag, config);
                args.put("vmstate", "disk0");
                VmManager.runJob(qmp, "snapshot-save", args, (String) args.get("job-id"), JOB_TIMEOUT);
                return null;
            });
            return;
        }
        try (VmStore.Lock ignored = vms.store().lock(vm)) {
            requireStopped(vm);
            List<Path> done = new ArrayList<>();
            try {
                for (VmConfig.VmDisk disk : config.disks()) {
                    vms.disks().createSnapshot(Path.of(disk.path()), tag);
                    done.add(Path.of(disk.path()));
                }
            } catch (IOException | RuntimeException e) {
                for (Path p : done) {
                    vms.disks().deleteSnapshot(p, tag);
                }
                throw e;
            }
        }
    }

    public List<DiskEngine.Snapshot> list(String vm) throws IOException {
        VmConfig config = vms.store().config(vm);
        if (config.disks().isEmpty()) {
            return List.of();
        }
        if (running(vm)) {
            return vms.withQmp(vm, (qmp, state) -> listOverQmp(qmp));
        }
        VmConfig.VmDisk first = config.disks().get(0);
        if (!first.format().equals("qcow2")) {
            return List.of();
        }
        return vms.disks().snapshots(Path.of(first.path()));
    }

    public void revert(String vm, String tag) throws IOException {
        VmConfig config = qcow2Disks(vm);
        DiskEngine.Snapshot snapshot = find(vm, tag);
        if (running(vm)) {
            if (snapshot.vmStateBytes() == 0) {
                throw new VmException("snapshot " + tag + " of " + vm
                        + " holds disks only: stop the VM before reverting to it");
            }
            vms.withQmp(vm, (qmp, state) -> {
                Map<String, Object> args = jobArguments("snapshot-load", tag, config);
                args.put("vmstate", "disk0");
                VmManager.runJob(qmp, "snapshot-load", args, (String) args.get("job-id"), JOB_TIMEOUT);
                // Loading leaves the guest stopped; bring it back to how it was before.
                if (state.status().equals(VmState.RUNNING)) {
                    qmp.execute("cont");
                }
                return null;
            });
            return;
        }
        try (VmStore.Lock ignored = vms.store().lock(vm)) {
            requireStopped(vm);
            for (VmConfig.VmDisk disk : config.disks()) {
                vms.disks().applySnapshot(Path.of(disk.path()), tag);
            }
        }
    }

    public void delete(String vm, String tag) throws IOException {
        VmConfig config = qcow2Disks(vm);
        find(vm, tag);
        if (running(vm)) {
            vms.withQmp(vm, (qmp, state) -> {
                Map<String, Object> args = jobArguments("snapshot-delete", tag, config);
                VmManager.runJob(qmp, "snapshot-delete", args, (String) args.get("job-id"), JOB_TIMEOUT);
                return null;
            });
            return;
        }
        try (VmStore.Lock ignored = vms.store().lock(vm)) {
            requireStopped(vm);
            for (VmConfig.VmDisk disk : config.disks()) {
                vms.disks().deleteSnapshot(Path.of(disk.path()), tag);
            }
        }
    }

    private DiskEngine.Snapshot find(String vm, String tag) throws IOException {
        return list(vm).stream().filter(s -> s.name().equals(tag)).findFirst()
                .orElseThrow(() -> new VmException("VM " + vm + " has no snapshot named " + tag));
    }

    private static List<DiskEngine.Snapshot> listOverQmp(QmpClient qmp) throws IOException {
        List<DiskEngine.Snapshot> list = new ArrayList<>();
        for (JsonNode node : qmp.execute("query-named-block-nodes", Map.of("flat", true))) {
            if (!"disk0".equals(node.path("node-name").asText())) {
                continue;
            }
            for (JsonNode s : node.path("image").path("snapshots")) {
                list.add(new DiskEngine.Snapshot(s.path("name").asText(), s.path("vm-state-size").asLong(),
                        s.path("date-sec").asLong()));
            }
        }
        return list;
    }

    private static Map<String, Object> jobArguments(String command, String tag, VmConfig config) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("job-id", "vessel-" + command + "-" + System.nanoTime());
        args.put("tag", tag);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < config.disks().size(); i++) {
            devices.add("disk" + i);
        }
        args.put("devices", devices);
        return args;
    }

    private boolean running(String vm) throws IOException {
        return vms.state(vm).active();
    }

    private void requireStopped(String vm) throws IOException {
        if (vms.reconcile(vm).active()) {
            throw new VmException("VM " + vm + " started meanwhile; try again");
        }
    }

    private VmConfig qcow2Disks(String vm) {
        VmConfig config = vms.store().config(vm);
        if (config.disks().isEmpty()) {
            throw new VmException("VM " + vm + " has no disks to snapshot");
        }
        for (VmConfig.VmDisk disk : config.disks()) {
            if (!disk.format().equals("qcow2")) {
                throw new VmException("disk " + disk.path() + " of " + vm + " is " + disk.format()
                        + ": snapshots need qcow2 disks");
            }
        }
        return config;
    }

    private static void checkTag(String tag) {
        if (!tag.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new VmException("invalid snapshot name '" + tag + "': use letters, digits, '_', '.', '-'");
        }
    }
}
