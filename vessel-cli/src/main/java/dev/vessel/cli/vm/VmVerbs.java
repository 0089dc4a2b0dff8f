package dev.vessel.cli.vm;

import dev.vessel.cli.VerbGroup;
import java.util.List;
import picocli.CommandLine;

/** The verbs for virtual machines (vessel vm ...) and `vessel info`. */
public final class VmVerbs implements VerbGroup {
    @Override
    public List<String> codedVerbs() {
        return List.of("vm", "info");
    }

    @Override
    public CommandLine.Model.CommandSpec codedCommand(String verb) {
        return switch (verb) {
            case "vm" -> VmCommand.spec();
            case "info" -> InfoCommand.spec();
            default -> null;
        };
    }

    /** Adds to `vm` the verb named on the command line, or all of them (help, unknown names). */
    @Override
    public void configure(CommandLine vessel, String[] args) {
        CommandLine vm = vessel.getSubcommands().get("vm");
        if (vm != null) {
            VmCommand.addVerbs(vm, VerbGroup.verbAfter("vm", args));
        }
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("vm", "ls"), List.of("vm", "ls", "--format", "json"), List.of("vm", "template", "ls"),
                List.of("vm", "inspect", "no-such-vm"),
                List.of("vm", "create", "training", "--memory", "1"), List.of("vm", "snapshot", "list", "no-such-vm"));
    }
}
