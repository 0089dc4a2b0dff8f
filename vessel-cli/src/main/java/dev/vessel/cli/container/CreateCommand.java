package dev.vessel.cli.container;

import dev.vessel.engine.container.ContainerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "create", description = "Create a new container")
final class CreateCommand extends ContainerCommand {
    @Mixin
    CreateOptions options;

    @Override
    protected int execute() throws Exception {
        ensureImage(options.image, options.pull);
        ContainerRecord record = containers().create(options.toRequest());
        out().println(record.id());
        return 0;
    }
}
