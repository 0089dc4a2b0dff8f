package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskClone extends VesselCommand {
    boolean full;
    Path base;
    Path clone;

    /** A fresh model of `disk clone`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskClone c = new DiskClone();
        SpecBuilder s = SpecBuilder.command(c, "clone", "Make a linked clone (a qcow2 differencing image over BASE), or a full copy with --full.");
        s.flag(v -> c.full = v, "copy everything into a standalone qcow2 image", "--full");
        s.positional("0", "BASE", v -> c.base = Path.of(v), "");
        s.positional("1", "NEW", v -> c.clone = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        Disks.clone(base, clone, full);
        return 0;
    }
}
