package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskCommit extends VesselCommand {
    boolean timing;
    Path file;

    /** A fresh model of `disk commit`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskCommit c = new DiskCommit();
        SpecBuilder s = SpecBuilder.command(c, "commit", "Merge a differencing image into its backing image (and empty it).");
        s.flag(v -> c.timing = v, "print the in-process time (after start-up) as 'time: S sec'", "--timing");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Disks.commit(file);
        out().println("Image committed.");
        if (timing) {
            out().println(IoReport.elapsed(t0));
        }
        return 0;
    }
}
