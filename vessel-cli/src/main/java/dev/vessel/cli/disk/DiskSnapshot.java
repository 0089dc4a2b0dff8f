package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "snapshot", description = "Internal snapshots: create, list, apply, delete (create --external adds a layer).")
final class DiskSnapshot extends VesselCommand {
    @Option(names = "--external", description = "with create: freeze FILE as NAME and put a new differencing layer on top")
    boolean external;
    @Option(names = "-l", description = "list (as qemu-img snapshot -l)")
    boolean listFlag;
    @Parameters(index = "0", paramLabel = "ACTION", description = "create, list, apply or delete")
    String action;
    @Parameters(index = "1", paramLabel = "FILE")
    Path file;
    @Parameters(index = "2", paramLabel = "NAME", arity = "0..1")
    String name;

    @Override
    public Integer call() throws Exception {
        switch (action) {
            case "list" -> {
                var snaps = Disks.snapshotList(file);
                if (!snaps.isEmpty()) {
                    out().println("Snapshot list:");
                    out().print(InfoFormat.snapshotTable(snaps));
                }
                return 0;
            }
            case "create", "apply", "delete" -> {
                if (name == null) {
                    throw new VesselException("disk snapshot " + action + ": NAME is required");
                }
            }
            default -> throw new VesselException("disk snapshot: unknown action '" + action
                    + "' (use create, list, apply or delete)");
        }
        if (external && !action.equals("create")) {
            throw new VesselException("disk snapshot: --external only goes with create");
        }
        switch (action) {
            case "create" -> {
                if (external) {
                    Path frozen = Path.of(name).isAbsolute() || name.contains("/") ? Path.of(name)
                            : file.toAbsolutePath().resolveSibling(name);
                    Disks.snapshotExternal(file, frozen);
                } else {
                    Disks.snapshotCreate(file, name);
                }
            }
            case "apply" -> Disks.snapshotApply(file, name);
            default -> Disks.snapshotDelete(file, name);
        }
        return 0;
    }
}
