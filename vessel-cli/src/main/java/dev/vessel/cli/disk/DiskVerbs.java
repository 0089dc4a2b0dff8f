package dev.vessel.cli.disk;

import dev.vessel.cli.VerbGroup;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The verbs for virtual disks (vessel disk ...), their models declared in code. */
public final class DiskVerbs implements VerbGroup {
    @Override
    public List<String> codedVerbs() {
        return List.of("disk");
    }

    @Override
    public CommandSpec codedCommand(String verb) {
        return verb.equals("disk") ? DiskCommand.spec() : null;
    }

    /** A convert's (or full clone's) first mapping of its source is prepared beside the parsing. */
    @Override
    public Runnable preload(String verb, String[] args) {
        String sub = VerbGroup.verbAfter("disk", args);
        return "convert".equals(sub) || "clone".equals(sub) ? dev.vessel.disk.Disks::prepareCopies : null;
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("disk", "--help"), List.of("disk", "__train"));
    }

    /** Adds the disk subcommand named on the command line, or all of them (help, unknown names). */
    @Override
    public void configure(CommandLine vessel, String[] args) {
        CommandLine disk = vessel.getSubcommands().get("disk");
        if (disk == null) {
            return;
        }
        String verb = VerbGroup.verbAfter("disk", args);
        Supplier<CommandSpec> named = verb == null ? null : DiskCommand.SUBCOMMANDS.get(verb);
        if (named != null) {
            disk.addSubcommand(verb, new CommandLine(named.get()));
            return;
        }
        DiskCommand.SUBCOMMANDS.forEach((name, spec) -> disk.addSubcommand(name, new CommandLine(spec.get())));
    }
}
