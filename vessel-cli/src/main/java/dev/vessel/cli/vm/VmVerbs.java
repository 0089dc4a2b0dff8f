package dev.vessel.cli.vm;

import dev.vessel.cli.VerbGroup;
import java.util.List;
import java.util.Map;

/** The verbs for virtual machines (vessel vm ...) and `vessel info`. */
public final class VmVerbs implements VerbGroup {
    @Override
    public Map<String, Class<?>> commandsByName() {
        return VerbGroup.inOrder("vm", VmCommand.class, "info", InfoCommand.class);
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("vm", "ls"), List.of("vm", "ls", "--format", "json"), List.of("vm", "template", "ls"),
                List.of("vm", "inspect", "no-such-vm"),
                List.of("vm", "create", "training", "--memory", "1"), List.of("vm", "snapshot", "list", "no-such-vm"));
    }
}
