package dev.vessel.cli.vm;

import dev.vessel.cli.VesselException;
import dev.vessel.vm.Templates;
import dev.vessel.vm.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `vessel vm template`: read-only base disks VMs are made from. */
@Command(name = "template", description = "Manage VM templates (read-only base disks).",
        mixinStandardHelpOptions = true,
        subcommands = {VmTemplateCommand.Create.class, VmTemplateCommand.List_.class, VmTemplateCommand.Remove.class})
final class VmTemplateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Make a template from a disk image or a stopped VM's disk.")
    static final class Create extends VmVerb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--disk", paramLabel = "FILE", description = "A disk image (qcow2, raw, vhd), copied into the template.")
            Path disk;

            @Option(names = "--from-vm", paramLabel = "VM", description = "A stopped VM whose first disk is frozen into the template.")
            String vm;
        }

        @Override
        protected int run() throws IOException {
            Templates templates = manager().templates();
            if (source.disk != null) {
                templates.createFromDisk(name, source.disk);
            } else {
                templates.createFromVm(name, source.vm);
            }
            out().println(name);
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List templates.")
    static final class List_ extends VmVerb {
        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table")
        String format;

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

    @Command(name = "rm", description = "Remove templates no VM uses.")
    static final class Remove extends VmVerb {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

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
