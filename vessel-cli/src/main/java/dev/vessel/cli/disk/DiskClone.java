package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "clone", description = "Make a linked clone (a qcow2 differencing image over BASE), or a full copy with --full.")
final class DiskClone extends VesselCommand {
    @Option(names = "--full", description = "copy everything into a standalone qcow2 image")
    boolean full;
    @Parameters(index = "0", paramLabel = "BASE")
    Path base;
    @Parameters(index = "1", paramLabel = "NEW")
    Path clone;

    @Override
    public Integer call() throws Exception {
        Disks.clone(base, clone, full);
        return 0;
    }
}
