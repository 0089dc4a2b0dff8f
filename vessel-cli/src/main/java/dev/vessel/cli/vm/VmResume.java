package dev.vessel.cli.vm;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resume", description = "Resume a paused VM.")
final class VmResume extends VmVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() throws IOException {
        manager().resume(name);
        out().println(name);
        return 0;
    }
}
