package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.vm.VmManager;
import dev.vessel.vm.store.JsonFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

final class VmInspect extends VmVerb {
    String format;

    List<String> names;

    /** A fresh model of `vm inspect`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmInspect c = new VmInspect();
        SpecBuilder s = SpecBuilder.command(c, "inspect", "Show VMs' configuration and state as JSON.");
        s.option("json", v -> c.format = v, "", "--format").label("json");
        s.oneOrMore("0", "NAME", v -> c.names = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        VmManager manager = manager();
        List<Map<String, Object>> views = new ArrayList<>();
        for (String name : names) {
            var state = manager.state(name);
            var config = manager.store().config(name);
            views.add(VmView.detail(manager, config, state, manager.accelerator().accelerator()));
        }
        out().println(JsonFiles.JSON.writeValueAsString(views));
        return 0;
    }
}
