package dev.vessel.cli.vm;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "console", description = "Attach to a VM's serial console (detach with Ctrl-]).")
final class VmConsole extends VmVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() throws IOException {
        return Console.attach(manager(), name, out(), err());
    }
}
