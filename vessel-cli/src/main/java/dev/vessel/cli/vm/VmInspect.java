package dev.vessel.cli.vm;

import dev.vessel.vm.VmManager;
import dev.vessel.vm.store.JsonFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Show VMs' configuration and state as JSON.")
final class VmInspect extends VmVerb {
    @Option(names = "--format", paramLabel = "json", defaultValue = "json")
    String format;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

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
