package dev.vessel.cli.vm;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restart", description = "Stop (if running) and start a VM.")
final class VmRestart extends VmVerb {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", defaultValue = "10")
    int seconds;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() throws IOException {
        manager().restart(name, seconds);
        out().println(name);
        return 0;
    }
}
