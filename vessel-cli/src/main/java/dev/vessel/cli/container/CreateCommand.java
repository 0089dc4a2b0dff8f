package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.engine.container.ContainerRecord;
import picocli.CommandLine.Model.CommandSpec;

/** `vessel create`, its model declared in code (see {@link SpecBuilder}). */
final class CreateCommand extends ContainerCommand {
    final CreateOptions options = new CreateOptions();

    private CreateCommand() {
    }

    /** A fresh `create` command's model. */
    static CommandSpec spec() {
        CreateCommand command = new CreateCommand();
        SpecBuilder spec = SpecBuilder.command(command, "create", "Create a new container");
        command.options.addTo(spec);
        spec.help();
        command.spec = spec.spec();
        return spec.spec();
    }

    @Override
    protected int execute() throws Exception {
        ensureImage(options.image, options.pull);
        ContainerRecord record = containers().create(options.toRequest());
        out().println(record.id());
        return 0;
    }
}
