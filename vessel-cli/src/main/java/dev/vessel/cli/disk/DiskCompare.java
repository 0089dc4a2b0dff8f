package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskCompare extends VesselCommand {
    Path a;
    Path b;

    /** A fresh model of `disk compare`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskCompare c = new DiskCompare();
        SpecBuilder s = SpecBuilder.command(c, "compare", "Compare the guest-visible contents of two images (exit 0 same, 1 different).");
        s.positional("0", "A", v -> c.a = Path.of(v), "");
        s.positional("1", "B", v -> c.b = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        long at = Disks.compare(a, b);
        if (at < 0) {
            out().println("Images are identical.");
            return 0;
        }
        out().println("Content mismatch at offset " + at + "!");
        return 1;
    }
}
