package dev.vessel.cli.vm;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "clone", description = "Make a linked clone of a stopped VM.")
final class VmClone extends VmVerb {
    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "1", paramLabel = "NEW")
    String target;

    @Override
    protected int run() throws IOException {
        manager().templates().clone(source, target);
        out().println(target);
        return 0;
    }
}
