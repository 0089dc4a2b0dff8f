package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `vessel container VERB`: the same verbs as the top-level ones, as Docker's management command,
 * and `container prune`. Its model is declared in code; {@link ContainerVerbs#configure} adds the
 * verbs.
 */
final class ContainerGroupCommand implements Runnable {
    private CommandSpec spec;

    private ContainerGroupCommand() {
    }

    static CommandSpec spec() {
        ContainerGroupCommand command = new ContainerGroupCommand();
        command.spec = SpecBuilder.command(command, "container", "Manage containers").spec();
        return command.spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
