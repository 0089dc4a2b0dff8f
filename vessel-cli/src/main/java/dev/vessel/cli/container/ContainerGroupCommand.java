package dev.vessel.cli.container;

import picocli.CommandLine.Command;

/**
 * `vessel container VERB`: the same verbs as the top-level ones, as Docker's management command
 * (run and create, declared in code, are added by {@link ContainerVerbs#configure}).
 */
@Command(name = "container", description = "Manage containers",
        subcommands = {StartCommand.class, PsCommand.class, RmCommand.class,
            LogsCommand.class, InspectCommand.class, LifecycleCommands.Stop.class, LifecycleCommands.Restart.class,
            LifecycleCommands.Kill.class, LifecycleCommands.Pause.class, LifecycleCommands.Unpause.class,
            LifecycleCommands.Wait.class, LifecycleCommands.Rename.class, PruneCommand.class, ExecCommand.class,
            DiffCommitCommands.Diff.class, DiffCommitCommands.Commit.class,
            TopStatsCommands.Top.class, TopStatsCommands.Stats.class, CpCommand.class})
final class ContainerGroupCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
