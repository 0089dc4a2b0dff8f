package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskRebase extends VesselCommand {
    boolean unsafe;
    String backing;
    String backingFormat;
    Path file;

    /** A fresh model of `disk rebase`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskRebase c = new DiskRebase();
        SpecBuilder s = SpecBuilder.command(c, "rebase", "Change the backing file of an image (safe: keeps the guest's view; -u: only the name).");
        s.flag(v -> c.unsafe = v, "unsafe: only rewrite the backing file name", "-u");
        s.option(String.class, v -> c.backing = v, "new backing file (\"\" for none)", "-b").label("NEWBASE").required();
        s.option(String.class, v -> c.backingFormat = v, "", "-F").label("FMT");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        Disks.rebase(file, backing.isEmpty() ? null : backing, Args.format(backingFormat), unsafe);
        return 0;
    }
}
