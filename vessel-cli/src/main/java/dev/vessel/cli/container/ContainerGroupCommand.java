package dev.vessel.cli.container;

import picocli.CommandLine.Command;

/**
 * `vessel container VERB`: the same verbs as the top-level ones, as Docker's management command
 * (the verbs declared in code, run, create, ps, rm, logs, inspect, exec and the lifecycle verbs,
 * are added by {@link ContainerVerbs#configure}).
 */
@Command(name = "container", description = "Manage containers",
        subcommands = {PruneCommand.class, DiffCommitCommands.Diff.class, DiffCommitCommands.Commit.class,
            TopStatsCommands.Top.class, TopStatsCommands.Stats.class, CpCommand.class})
final class ContainerGroupCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
