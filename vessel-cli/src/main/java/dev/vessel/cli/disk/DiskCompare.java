package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "compare", description = "Compare the guest-visible contents of two images (exit 0 same, 1 different).")
final class DiskCompare extends VesselCommand {
    @Parameters(index = "0", paramLabel = "A")
    Path a;
    @Parameters(index = "1", paramLabel = "B")
    Path b;

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
