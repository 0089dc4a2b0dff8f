package dev.vessel.cli.vm;

import dev.vessel.vm.DiskEngine;
import dev.vessel.vm.Snapshots;
import dev.vessel.vm.store.JsonFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `vessel vm snapshot`: disk-only when stopped, with RAM and device state when running. */
@Command(name = "snapshot", description = "VM snapshots (disks only when stopped; with RAM state when running).",
        mixinStandardHelpOptions = true,
        subcommands = {VmSnapshotCommand.Create.class, VmSnapshotCommand.List_.class,
            VmSnapshotCommand.Revert.class, VmSnapshotCommand.Delete.class})
final class VmSnapshotCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class Named extends VmVerb {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "NAME")
        String tag;

        Snapshots snapshots() {
            return new Snapshots(manager());
        }
    }

    @Command(name = "create", description = "Snapshot a VM.")
    static final class Create extends Named {
        @Override
        protected int run() throws IOException {
            snapshots().create(vm, tag);
            out().println(tag);
            return 0;
        }
    }

    @Command(name = "revert", description = "Put a VM back to a snapshot.")
    static final class Revert extends Named {
        @Override
        protected int run() throws IOException {
            snapshots().revert(vm, tag);
            out().println(tag);
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a snapshot.")
    static final class Delete extends Named {
        @Override
        protected int run() throws IOException {
            snapshots().delete(vm, tag);
            out().println(tag);
            return 0;
        }
    }

    @Command(name = "list", aliases = "ls", description = "List a VM's snapshots.")
    static final class List_ extends VmVerb {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table")
        String format;

        @Override
        protected int run() throws IOException {
            List<DiskEngine.Snapshot> list = new Snapshots(manager()).list(vm);
            if (format.equals("json")) {
                out().println(JsonFiles.JSON.writeValueAsString(list));
                return 0;
            }
            out().printf("%-24s %-12s %s%n", "NAME", "KIND", "DATE");
            for (DiskEngine.Snapshot s : list) {
                out().printf("%-24s %-12s %s%n", s.name(), s.vmStateBytes() > 0 ? "disk+ram" : "disk",
                        Instant.ofEpochSecond(s.dateSeconds()));
            }
            return 0;
        }
    }
}
