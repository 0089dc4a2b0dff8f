package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rebase", description = "Change the backing file of an image (safe: keeps the guest's view; -u: only the name).")
final class DiskRebase extends VesselCommand {
    @Option(names = "-u", description = "unsafe: only rewrite the backing file name")
    boolean unsafe;
    @Option(names = "-b", paramLabel = "NEWBASE", required = true, description = "new backing file (\"\" for none)")
    String backing;
    @Option(names = "-F", paramLabel = "FMT")
    String backingFormat;
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        Disks.rebase(file, backing.isEmpty() ? null : backing, Args.format(backingFormat), unsafe);
        return 0;
    }
}
