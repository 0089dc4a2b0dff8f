package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.CheckResult;
import dev.vessel.disk.Disks;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskCheck extends VesselCommand {
    String repair;
    Path file;

    /** A fresh model of `disk check`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskCheck c = new DiskCheck();
        SpecBuilder s = SpecBuilder.command(c, "check", "Check an image's consistency (exit 0 clean, 2 corrupt, 3 leaked clusters only).");
        s.option(String.class, v -> c.repair = v, "repair leaked clusters, or everything", "-r").label("leaks|all");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        Disks.Repair r = repair == null ? Disks.Repair.NONE : switch (repair) {
            case "leaks" -> Disks.Repair.LEAKS;
            case "all" -> Disks.Repair.ALL;
            default -> throw new VesselException("disk check: -r takes leaks or all, not '" + repair + "'");
        };
        CheckResult c = Disks.check(file, r);
        for (String m : c.messages()) {
            out().println(m);
        }
        if (c.corruptions() == 0 && c.leaks() == 0) {
            out().println("No errors were found on the image.");
        } else {
            if (c.corruptions() > 0) {
                out().println();
                out().println(c.corruptions() + " errors were found on the image.");
                out().println("Data may be corrupted, or further writes to the image may corrupt it.");
            }
            if (c.leaks() > 0) {
                out().println();
                out().println(c.leaks() + " leaked clusters were found on the image.");
                out().println("This means waste of disk space, but no harm to data.");
            }
        }
        if (c.totalClusters() > 0) {
            out().printf("%d/%d = %.2f%% allocated, 0.00%% fragmented, %.2f%% compressed clusters%n",
                    c.allocatedClusters(), c.totalClusters(), 100.0 * c.allocatedClusters() / c.totalClusters(),
                    c.allocatedClusters() == 0 ? 0.0 : 100.0 * c.compressedClusters() / c.allocatedClusters());
        }
        out().println("Image end offset: " + c.imageEnd());
        return c.exitStatus();
    }
}
