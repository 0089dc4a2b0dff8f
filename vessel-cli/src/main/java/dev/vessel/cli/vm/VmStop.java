package dev.vessel.cli.vm;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", description = "Power a VM down (ACPI), killing it after the timeout.")
final class VmStop extends VmVerb {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", defaultValue = "10")
    int seconds;

    @Option(names = {"-f", "--force"}, description = "Kill QEMU at once.")
    boolean force;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() throws IOException {
        manager().stop(name, seconds, force);
        out().println(name);
        return 0;
    }
}
