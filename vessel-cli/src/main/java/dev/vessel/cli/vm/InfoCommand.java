package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.vm.host.Accelerator;
import dev.vessel.vm.host.QemuBinary;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

/** `vessel info`: where Vessel keeps its state and how it runs VMs on this host. */
final class InfoCommand extends VmVerb {
    static CommandSpec spec() {
        InfoCommand c = new InfoCommand();
        c.spec = SpecBuilder.command(c, "info", "Show system-wide information (root, VM accelerator, QEMU).").spec();
        return c.spec;
    }

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
