package dev.vessel.cli.vm;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Start a VM (QEMU keeps running after this command ends).")
final class VmStart extends VmVerb {
    @Option(names = {"-a", "--attach"}, description = "Attach to the serial console (detach with Ctrl-]).")
    boolean attach;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() throws IOException {
        for (String note : manager().start(name).limitNotes()) {
            err().println("vessel: warning: " + name + ": " + note);
        }
        if (attach) {
            return Console.attach(manager(), name, out(), err());
        }
        out().println(name);
        return 0;
    }
}
