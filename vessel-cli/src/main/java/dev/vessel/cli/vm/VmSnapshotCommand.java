package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.vm.DiskEngine;
import dev.vessel.vm.Snapshots;
import dev.vessel.vm.store.JsonFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `vessel vm snapshot`: disk-only when stopped, with RAM and device state when running. Models
 * declared in code ({@link SpecBuilder}).
 */
final class VmSnapshotCommand implements Runnable {
    private CommandSpec spec;

    /** `vm snapshot` with its verbs. */
    static CommandLine commandLine() {
        VmSnapshotCommand c = new VmSnapshotCommand();
        SpecBuilder s = SpecBuilder.command(c, "snapshot",
                "VM snapshots (disks only when stopped; with RAM state when running).");
        s.standardHelp();
        c.spec = s.spec();
        CommandLine group = new CommandLine(c.spec);
        List<CommandSpec> verbs = List.of(Named.spec(new Create(), "create", "Snapshot a VM."), List_.spec(),
                Named.spec(new Revert(), "revert", "Put a VM back to a snapshot."),
                Named.spec(new Delete(), "delete", "Delete a snapshot.", "rm"));
        for (CommandSpec verb : verbs) {
            group.addSubcommand(verb.name(), new CommandLine(verb));
        }
        return group;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The verbs of one VM's one snapshot: VM NAME. */
    abstract static class Named extends VmVerb {
        String vm;
        String tag;

        static CommandSpec spec(Named c, String name, String description, String... aliases) {
            SpecBuilder s = SpecBuilder.command(c, name, description);
            s.spec().aliases(aliases);
            s.positional("0", "VM", v -> c.vm = v, "");
            s.positional("1", "NAME", v -> c.tag = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        Snapshots snapshots() {
            return new Snapshots(manager());
        }
    }

    static final class Create extends Named {
        @Override
        protected int run() throws IOException {
            snapshots().create(vm, tag);
            out().println(tag);
            return 0;
        }
    }

    static final class Revert extends Named {
        @Override
        protected int run() throws IOException {
            snapshots().revert(vm, tag);
            out().println(tag);
            return 0;
        }
    }

    static final class Delete extends Named {
        @Override
        protected int run() throws IOException {
            snapshots().delete(vm, tag);
            out().println(tag);
            return 0;
        }
    }

    static final class List_ extends VmVerb {
        String vm;
        String format;

        static CommandSpec spec() {
            List_ c = new List_();
            SpecBuilder s = SpecBuilder.command(c, "list", "List a VM's snapshots.");
            s.spec().aliases("ls");
            s.positional("0", "VM", v -> c.vm = v, "");
            s.option("table", v -> c.format = v, "", "--format").label("table|json");
            c.spec = s.spec();
            return c.spec;
        }

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
