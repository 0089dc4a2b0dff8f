package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskSnapshot extends VesselCommand {
    boolean external;
    boolean listFlag;
    String action;
    Path file;
    String name;

    /** A fresh model of `disk snapshot`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskSnapshot c = new DiskSnapshot();
        SpecBuilder s = SpecBuilder.command(c, "snapshot", "Internal snapshots: create, list, apply, delete (create --external adds a layer).");
        s.flag(v -> c.external = v, "with create: freeze FILE as NAME and put a new differencing layer on top",
                "--external");
        s.flag(v -> c.listFlag = v, "list (as qemu-img snapshot -l)", "-l");
        s.positional("0", "ACTION", v -> c.action = v, "create, list, apply or delete");
        s.positional("1", "FILE", v -> c.file = Path.of(v), "");
        s.optionalPositional("2", "NAME", v -> c.name = v, "");
        c.spec = s.spec();
        return s.spec();
    }

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
