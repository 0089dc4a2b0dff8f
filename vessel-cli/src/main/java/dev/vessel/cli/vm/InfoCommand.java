package dev.vessel.cli.vm;

import dev.vessel.vm.host.Accelerator;
import dev.vessel.vm.host.QemuBinary;
import java.io.IOException;
import picocli.CommandLine.Command;

/** `vessel info`: where Vessel keeps its state and how it runs VMs on this host. */
@Command(name = "info", description = "Show system-wide information (root, VM accelerator, QEMU).")
final class InfoCommand extends VmVerb {
    @Override
    protected int run() throws IOException {
        out().println("Root: " + root());
        out().println("Kernel: " + System.getProperty("os.version"));
        Accelerator.Choice choice = manager().accelerator();
        out().println("VM accelerator: " + choice.accelerator() + " (" + choice.reason() + ")");
        out().println("QEMU: " + (QemuBinary.available() ? QemuBinary.path() : "not installed"));
        return 0;
    }
}
