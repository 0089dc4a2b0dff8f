package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.vm.CreateRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class VmCreate extends VmVerb {
    String name;

    int cpus;

    String memory;

    List<String> disks = new ArrayList<>();

    String template;

    String kernel;

    String initrd;

    String append;

    String cdrom;

    String nic;

    /** A fresh model of `vm create`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmCreate c = new VmCreate();
        SpecBuilder s = SpecBuilder.command(c, "create", "Create a VM (it starts with `vessel vm start`).");
        s.positional("0", "NAME", v -> c.name = v, "");
        s.option(int.class, "1", v -> c.cpus = v, "", "--cpus").label("N");
        s.option("512M", v -> c.memory = v, "Guest RAM (e.g. 512M, 2G; a plain number is MiB).", "-m", "--memory")
                .label("SIZE");
        s.repeatable(v -> c.disks = v, "A disk image to use in place, or a size for a new qcow2 disk; repeatable.",
                "--disk").label("FILE|SIZE");
        s.option(String.class, v -> c.template = v, "First disk: a linked clone of the template's base.", "--from")
                .label("TEMPLATE");
        s.option(String.class, v -> c.kernel = v, "Kernel (bzImage or vmlinux); default: Vessel's guest kernel.",
                "--kernel").label("FILE");
        s.option(String.class, v -> c.initrd = v, "", "--initrd").label("FILE");
        s.option(String.class, v -> c.append = v, "Kernel command line.", "--append").label("CMDLINE");
        s.option(String.class, v -> c.cdrom = v, "", "--cdrom").label("ISO");
        s.option("none", v -> c.nic = v, "", "--nic").label("none|user");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        manager().create(new CreateRequest(name, cpus, memory, disks, template, kernel, initrd, append, cdrom, nic));
        out().println(name);
        return 0;
    }
}
