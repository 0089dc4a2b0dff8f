package dev.vessel.cli.vm;

import dev.vessel.vm.Sizes;
import dev.vessel.vm.VmConfig;
import dev.vessel.vm.VmManager;
import dev.vessel.vm.VmState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A VM as `vm ls --format json` and `vm inspect` show it (Docker-style field names). */
final class VmView {
    private VmView() {
    }

    static Map<String, Object> summary(VmConfig config, VmState state, String hostAccelerator) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("Name", config.name());
        view.put("State", state.status());
        view.put("Cpus", config.cpus());
        view.put("MemoryMiB", config.memoryMiB());
        view.put("Disks", config.disks().stream().map(VmConfig.VmDisk::path).toList());
        view.put("Accelerator", state.accelerator() != null ? state.accelerator() : hostAccelerator);
        view.put("Template", config.template());
        view.put("Pid", state.pid());
        view.put("ExitCode", state.exitCode());
        return view;
    }

    static Map<String, Object> detail(VmManager manager, VmConfig config, VmState state, String hostAccelerator) {
        Map<String, Object> view = summary(config, state, hostAccelerator);
        view.put("StartedAt", state.startedAt());
        view.put("StoppedAt", state.stoppedAt());
        view.put("ExitReason", state.exitReason());
        view.put("CreatedAt", config.createdAt());
        view.put("DiskDetails", config.disks());
        view.put("Kernel", config.kernel() == null ? "vessel default (host kernel via PVH)" : config.kernel());
        view.put("Initrd", config.initrd());
        view.put("Append", config.append());
        view.put("Cdrom", config.cdrom());
        view.put("Nic", config.nic());
        view.put("Cgroups", state.cgroups());
        view.put("LimitNotes", state.limitNotes());
        var files = manager.files(config.name());
        view.put("ConsoleLog", files.consoleLog().toString());
        view.put("ConsoleSocket", files.consoleSocket().toString());
        view.put("QmpSocket", files.qmpSocket().toString());
        return view;
    }

    static String disks(VmConfig config) {
        return config.disks().isEmpty() ? "-" : Integer.toString(config.disks().size());
    }

    static String memory(VmConfig config) {
        return Sizes.human(config.memoryMiB() << 20);
    }

    static List<String> names(VmManager manager) throws IOException {
        return manager.names();
    }
}
