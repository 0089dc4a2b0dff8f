package dev.vessel.cli.container;

import dev.vessel.engine.container.ContainerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rm", description = "Remove one or more containers")
final class RmCommand extends LifecycleCommands.EachContainer {
    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;
    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    @Override
    void apply(ContainerRecord record) throws Exception {
        containers().remove(record.id(), force, volumes);
    }
}
