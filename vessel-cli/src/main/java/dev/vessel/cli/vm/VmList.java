package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.vm.VmConfig;
import dev.vessel.vm.VmManager;
import dev.vessel.vm.VmState;
import dev.vessel.vm.store.JsonFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

final class VmList extends VmVerb {
    String format;

    /** A fresh model of `vm ls`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmList c = new VmList();
        SpecBuilder s = SpecBuilder.command(c, "ls", "List VMs with their real (reconciled) state.");
        s.spec().aliases("list", "ps");
        s.option("table", v -> c.format = v, "", "--format").label("table|json");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        VmManager manager = manager();
        List<String> names = manager.names();
        String hostAccelerator = names.isEmpty() ? null : manager.accelerator().accelerator();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : names) {
            try {
                VmState state = manager.state(name);
                VmConfig config = manager.store().config(name);
                rows.add(VmView.summary(config, state, hostAccelerator));
            } catch (dev.vessel.vm.VmException e) {
                // removed meanwhile
            }
        }
        if (format.equals("json")) {
            out().println(JsonFiles.JSON.writeValueAsString(rows));
            return 0;
        }
        if (!format.equals("table")) {
            throw new dev.vessel.cli.VesselException("--format must be table or json, not " + format);
        }
        String pattern = "%-20s %-8s %-4s %-8s %-5s %s%n";
        out().printf(pattern, "NAME", "STATE", "CPUS", "MEMORY", "DISKS", "ACCELERATOR");
        for (Map<String, Object> row : rows) {
            long mib = (Long) row.get("MemoryMiB");
            out().printf(pattern, row.get("Name"), row.get("State"), row.get("Cpus"),
                    dev.vessel.vm.Sizes.human(mib << 20), ((List<?>) row.get("Disks")).size(), row.get("Accelerator"));
        }
        return 0;
    }
}
