package dev.vessel.cli.container;

import dev.vessel.cli.VerbGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import picocli.CommandLine;

/** The verbs for containers (`vessel run`, `ps`, `logs`, ...) and volumes. */
public final class ContainerVerbs implements VerbGroup {
    @Override
    public Map<String, Class<?>> commandsByName() {
        return VerbGroup.inOrder("start", StartCommand.class, "ps", PsCommand.class, "rm", RmCommand.class,
                "logs", LogsCommand.class, "inspect", InspectCommand.class, "stop", LifecycleCommands.Stop.class,
                "restart", LifecycleCommands.Restart.class, "kill", LifecycleCommands.Kill.class,
                "pause", LifecycleCommands.Pause.class, "unpause", LifecycleCommands.Unpause.class,
                "wait", LifecycleCommands.Wait.class, "rename", LifecycleCommands.Rename.class,
                "__restart", LifecycleCommands.ApplyRestartPolicy.class, "exec", ExecCommand.class,
                "diff", DiffCommitCommands.Diff.class, "commit", DiffCommitCommands.Commit.class,
                "top", TopStatsCommands.Top.class, "stats", TopStatsCommands.Stats.class, "cp", CpCommand.class,
                "volume", VolumeCommand.class, "container", ContainerGroupCommand.class);
    }

    @Override
    public List<String> codedVerbs() {
        return List.of("run", "create");
    }

    @Override
    public CommandLine.Model.CommandSpec codedCommand(String verb) {
        return switch (verb) {
            case "run" -> RunCommand.spec();
            case "create" -> CreateCommand.spec();
            default -> null;
        };
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("ps", "-a"), List.of("run", "--pull", "never", "--rm", "no-such-image-for-training", "true"));
    }

    /** A one-file image for the training lines, imported before the training run records anything. */
    @Override
    public List<List<String>> setupLines(Path scratch) throws IOException {
        Path layer = scratch.resolve("training-rootfs.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(layer))) {
            TarArchiveEntry file = new TarArchiveEntry("true");
            file.setMode(0100755);
            tar.putArchiveEntry(file);
            tar.closeArchiveEntry();
            // users and groups, so that the training resolves them as a real image's run does
            for (String[] entry : new String[][] {{"etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"},
                    {"etc/group", "root:x:0:\nwheel:x:10:root\n"}}) {
                byte[] content = entry[1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry etc = new TarArchiveEntry(entry[0]);
                etc.setSize(content.length);
                tar.putArchiveEntry(etc);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        // the create unpacks the image's layer, as it is before every run but the first
        return List.of(List.of("import", "-c", "CMD [\"/true\"]", layer.toString(), "training:latest"),
                List.of("create", "--name", "setup", "training:latest"), List.of("rm", "-f", "setup"));
    }

    /**
     * The run path: a container of the training image is run (as root; its /true is an empty
     * file, so the exec fails once everything before it has run) and created, listed and removed.
     * Without the rights to mount, they fail after the JSON work, which is what the cache is for.
     */
    @Override
    public List<List<String>> trainingLines(Path scratch) {
        return List.of(List.of("run", "--rm", "-e", "A=1", "training:latest"),
                List.of("create", "--name", "training", "-m", "64m", "training:latest"), List.of("ps", "-a"),
                List.of("rm", "-f", "training"));
    }

    /**
     * The group's cache is trained on the run path (see {@link #trainingLines(Path)}), which the
     * lifecycle verbs share; inspect, logs, volumes and the rest load other classes (Jackson's
     * mapper, Go templates) and start faster with the cache of every command.
     */
    @Override
    public boolean cacheServes(String verb) {
        return switch (verb) {
            case "run", "create", "start", "restart", "stop", "kill", "rm", "ps", "wait", "pause", "unpause",
                 "rename", "__restart", "exec", "diff" -> true;
            default -> false;
        };
    }

    /** The verbs that start a container: the runtime's classes are initialised beside the parsing. */
    @Override
    public Runnable preload(String verb) {
        return switch (verb) {
            case "run", "create", "start", "restart", "exec" -> dev.vessel.runtime.ClassPreload.forContainers();
            default -> null;
        };
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
            group.addSubcommand("run", new CommandLine(RunCommand.spec()));
            group.addSubcommand("create", new CommandLine(CreateCommand.spec()));
            group.getSubcommands().values().forEach(sub -> {
                if (List.of("run", "create", "exec").contains(sub.getCommandName())) {
                    sub.setStopAtPositional(true);
                }
            });
        }
    }
}
