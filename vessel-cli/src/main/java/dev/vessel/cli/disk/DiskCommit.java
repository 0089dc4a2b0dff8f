package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "commit", description = "Merge a differencing image into its backing image (and empty it).")
final class DiskCommit extends VesselCommand {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        Disks.commit(file);
        out().println("Image committed.");
        return 0;
    }
}
