package dev.vessel.cli.vm;

import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Remove VMs (their Vessel-made disks and files).")
final class VmRemove extends VmVerb {
    @Option(names = {"-f", "--force"}, description = "Kill a running VM first.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    protected int run() throws IOException {
        for (String name : names) {
            manager().remove(name, force);
            out().println(name);
        }
        return 0;
    }
}
