package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselException;
import dev.vessel.vm.Templates;
import dev.vessel.vm.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** `vessel vm template`: read-only base disks VMs are made from. Models declared in code ({@link SpecBuilder}). */
final class VmTemplateCommand implements Runnable {
    private CommandSpec spec;

    /** `vm template` with its verbs. */
    static CommandLine commandLine() {
        VmTemplateCommand c = new VmTemplateCommand();
        SpecBuilder s = SpecBuilder.command(c, "template", "Manage VM templates (read-only base disks).");
        s.standardHelp();
        c.spec = s.spec();
        CommandLine group = new CommandLine(c.spec);
        for (CommandSpec verb : List.of(Create.spec(), List_.spec(), Remove.spec())) {
            group.addSubcommand(verb.name(), new CommandLine(verb));
        }
        return group;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Create extends VmVerb {
        String name;
        /** One of the two, as the exclusive group requires. */
        Path disk;
        String vm;

        static CommandSpec spec() {
            Create c = new Create();
            SpecBuilder s = SpecBuilder.command(c, "create", "Make a template from a disk image or a stopped VM's disk.");
            s.positional("0", "NAME", v -> c.name = v, "");
            s.option(Path.class, v -> c.disk = v, "A disk image (qcow2, raw, vhd), copied into the template.", "--disk")
                    .label("FILE");
            s.option(String.class, v -> c.vm = v, "A stopped VM whose first disk is frozen into the template.",
                    "--from-vm").label("VM");
            s.exactlyOneOf(2);
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int run() throws IOException {
            Templates templates = manager().templates();
            if (disk != null) {
                templates.createFromDisk(name, disk);
            } else {
                templates.createFromVm(name, vm);
            }
            out().println(name);
            return 0;
        }
    }

    static final class List_ extends VmVerb {
        String format;

        static CommandSpec spec() {
            List_ c = new List_();
            SpecBuilder s = SpecBuilder.command(c, "ls", "List templates.");
            s.spec().aliases("list");
            s.option("table", v -> c.format = v, "", "--format").label("table|json");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int run() throws IOException {
            List<Templates.Template> list = manager().templates().list();
            if (format.equals("json")) {
                out().println(JsonFiles.JSON.writeValueAsString(list));
                return 0;
            }
            if (!format.equals("table")) {
                throw new VesselException("--format must be table or json, not " + format);
            }
            out().printf("%-20s %-12s %s%n", "NAME", "SIZE", "SOURCE");
            for (Templates.Template t : list) {
                out().printf("%-20s %-12s %s%n", t.name(), t.sizeBytes(), t.source());
            }
            return 0;
        }
    }

    static final class Remove extends VmVerb {
        List<String> names;

        static CommandSpec spec() {
            Remove c = new Remove();
            SpecBuilder s = SpecBuilder.command(c, "rm", "Remove templates no VM uses.");
            s.oneOrMore("0", "NAME", v -> c.names = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int run() throws IOException {
            for (String name : names) {
                manager().templates().remove(name);
                out().println(name);
            }
            return 0;
        }
    }
}
