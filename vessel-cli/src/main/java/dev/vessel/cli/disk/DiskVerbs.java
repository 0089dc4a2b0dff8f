package dev.vessel.cli.disk;

import dev.vessel.cli.VerbGroup;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The verbs for virtual disks (vessel disk ...). */
public final class DiskVerbs implements VerbGroup {
    @Override
    public Map<String, Class<?>> commandsByName() {
        return VerbGroup.inOrder("disk", DiskCommand.class);
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
        Class<?> named = DiskCommand.SUBCOMMANDS.get(subVerb(args));
        for (Class<?> c : named == null ? DiskCommand.SUBCOMMANDS.values() : List.of(named)) {
            disk.addSubcommand(c);
        }
    }

    /** The word after "disk" (global options before it skipped), or null. */
    private static String subVerb(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--root")) {
                i++;
            } else if (!args[i].startsWith("--root=")) {
                return args[i].equals("disk") ? args[i + 1] : null;
            }
        }
        return null;
    }
}
