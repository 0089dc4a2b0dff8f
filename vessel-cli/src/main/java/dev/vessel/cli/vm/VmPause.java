package dev.vessel.cli.vm;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pause", description = "Pause a running VM's CPUs.")
final class VmPause extends VmVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() throws IOException {
        manager().pause(name);
        out().println(name);
        return 0;
    }
}
