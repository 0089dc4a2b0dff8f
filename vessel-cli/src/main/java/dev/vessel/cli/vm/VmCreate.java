package dev.vessel.cli.vm;

import dev.vessel.vm.CreateRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a VM (it starts with `vessel vm start`).")
final class VmCreate extends VmVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1")
    int cpus;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", defaultValue = "512M",
            description = "Guest RAM (e.g. 512M, 2G; a plain number is MiB).")
    String memory;

    @Option(names = "--disk", paramLabel = "FILE|SIZE",
            description = "A disk image to use in place, or a size for a new qcow2 disk; repeatable.")
    List<String> disks = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TEMPLATE", description = "First disk: a linked clone of the template's base.")
    String template;

    @Option(names = "--kernel", paramLabel = "FILE", description = "Kernel (bzImage or vmlinux); default: Vessel's guest kernel.")
    String kernel;

    @Option(names = "--initrd", paramLabel = "FILE")
    String initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line.")
    String append;

    @Option(names = "--cdrom", paramLabel = "ISO")
    String cdrom;

    @Option(names = "--nic", paramLabel = "none|user", defaultValue = "none")
    String nic;

    @Override
    protected int run() throws IOException {
        manager().create(new CreateRequest(name, cpus, memory, disks, template, kernel, initrd, append, cdrom, nic));
        out().println(name);
        return 0;
    }
}
