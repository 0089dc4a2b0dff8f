package dev.vessel.cli.container;

import dev.vessel.cli.VerbGroup;
import java.util.List;
import picocli.CommandLine;

/** The verbs for containers (`vessel run`, `ps`, `logs`, ...) and volumes. */
public final class ContainerVerbs implements VerbGroup {
    @Override
    public List<Class<?>> commands() {
        return List.of(RunCommand.class, CreateCommand.class, StartCommand.class, PsCommand.class, RmCommand.class,
                LogsCommand.class, InspectCommand.class, LifecycleCommands.Stop.class, LifecycleCommands.Restart.class,
                LifecycleCommands.Kill.class, LifecycleCommands.Pause.class, LifecycleCommands.Unpause.class,
                LifecycleCommands.Wait.class, LifecycleCommands.Rename.class,
                LifecycleCommands.ApplyRestartPolicy.class, ExecCommand.class, DiffCommitCommands.Diff.class, DiffCommitCommands.Commit.class,
                TopStatsCommands.Top.class, TopStatsCommands.Stats.class, CpCommand.class, VolumeCommand.class, ContainerGroupCommand.class);
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("ps", "-a"), List.of("ps", "--format", "json"), List.of("volume", "ls"),
                List.of("run", "--pull", "never", "--rm", "no-such-image-for-training", "true"));
    }

    /** `run` and `create` end their options at the image: what follows is the container's command. */
    @Override
    public void configure(CommandLine vessel) {
        // Only the verb being run is present (see Vessel.commandLine).
        for (String verb : List.of("run", "create", "exec")) {
            CommandLine command = vessel.getSubcommands().get(verb);
            if (command != null) {
                command.setStopAtPositional(true);
            }
        }
        CommandLine group = vessel.getSubcommands().get("container");
        if (group != null) {
            group.getSubcommands().values().forEach(sub -> {
                if (List.of("run", "create", "exec").contains(sub.getCommandName())) {
                    sub.setStopAtPositional(true);
                }
            });
        }
    }
}
