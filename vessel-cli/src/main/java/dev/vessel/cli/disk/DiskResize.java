package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resize", description = "Change an image's virtual size (SIZE, +SIZE or -SIZE).")
final class DiskResize extends VesselCommand {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;
    @Parameters(index = "1", paramLabel = "SIZE")
    String size;

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
