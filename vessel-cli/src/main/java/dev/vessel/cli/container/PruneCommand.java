package dev.vessel.cli.container;

import dev.vessel.engine.container.ContainerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove all stopped containers")
final class PruneCommand extends ContainerCommand {
    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Override
    protected int execute() throws Exception {
        out().println("Deleted Containers:");
        for (ContainerRecord record : containers().list()) {
            if (!record.state().running()) {
                containers().remove(record.id(), false, false);
                out().println(record.id());
            }
        }
        return 0;
    }
}
