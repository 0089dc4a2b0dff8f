package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "commit", description = "Merge a differencing image into its backing image (and empty it).")
final class DiskCommit extends VesselCommand {
    @Option(names = "--timing", description = "print the in-process time (after start-up) as 'time: S sec'")
    boolean timing;
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

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
