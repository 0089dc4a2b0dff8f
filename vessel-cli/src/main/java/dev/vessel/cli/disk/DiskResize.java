package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskResize extends VesselCommand {
    Path file;
    String size;

    /** A fresh model of `disk resize`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskResize c = new DiskResize();
        SpecBuilder s = SpecBuilder.command(c, "resize", "Change an image's virtual size (SIZE, +SIZE or -SIZE).");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        s.positional("1", "SIZE", v -> c.size = v, "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        long target;
        if (size.startsWith("+") || size.startsWith("-")) {
            long cur;
            try (BlockDevice d = Disks.open(file, false)) {
                cur = d.size();
            }
            long delta = Args.size(size.substring(1));
            target = size.startsWith("+") ? cur + delta : cur - delta;
        } else {
            target = Args.size(size);
        }
        Disks.resize(file, target);
        out().println("Image resized.");
        return 0;
    }
}
