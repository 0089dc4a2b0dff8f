package dev.vessel.cli.container;

import dev.vessel.cli.VerbGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import picocli.CommandLine;

/** The verbs for containers (`vessel run`, `ps`, `logs`, ...) and volumes. */
public final class ContainerVerbs implements VerbGroup {
    /** The verbs, their models declared in code. */
    private static final Map<String, Supplier<CommandLine.Model.CommandSpec>> CODED = coded();

    private static Map<String, Supplier<CommandLine.Model.CommandSpec>> coded() {
        Map<String, Supplier<CommandLine.Model.CommandSpec>> byName = new LinkedHashMap<>();
        byName.put("run", RunCommand::spec);
        byName.put("create", CreateCommand::spec);
        byName.put("start", StartCommand::spec);
        byName.put("ps", PsCommand::spec);
        byName.put("rm", RmCommand::spec);
        byName.put("stop", LifecycleCommands.Stop::spec);
        byName.put("restart", LifecycleCommands.Restart::spec);
        byName.put("kill", LifecycleCommands.Kill::spec);
        byName.put("pause", LifecycleCommands.Pause::spec);
        byName.put("unpause", LifecycleCommands.Unpause::spec);
        byName.put("wait", LifecycleCommands.Wait::spec);
        byName.put("rename", LifecycleCommands.Rename::spec);
        byName.put("logs", LogsCommand::spec);
        byName.put("inspect", InspectCommand::spec);
        byName.put("exec", ExecCommand::spec);
        byName.put("diff", DiffCommitCommands.Diff::spec);
        byName.put("commit", DiffCommitCommands.Commit::spec);
        byName.put("top", TopStatsCommands.Top::spec);
        byName.put("stats", TopStatsCommands.Stats::spec);
        byName.put("cp", CpCommand::spec);
        byName.put("container", ContainerGroupCommand::spec);
        byName.put("volume", VolumeCommand::spec);
        byName.put("__restart", LifecycleCommands.ApplyRestartPolicy::spec);
        return byName;
    }

    @Override
    public List<String> codedVerbs() {
        return List.copyOf(CODED.keySet());
    }

    @Override
    public CommandLine.Model.CommandSpec codedCommand(String verb) {
        Supplier<CommandLine.Model.CommandSpec> spec = CODED.get(verb);
        return spec == null ? null : spec.get();
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
        CommandLine volume = vessel.getSubcommands().get("volume");
        if (volume != null) {
            VolumeCommand.verbs().forEach(spec -> volume.addSubcommand(spec.name(), new CommandLine(spec)));
        }
        CommandLine group = vessel.getSubcommands().get("container");
        if (group != null) {
            CODED.forEach((name, spec) -> {
                if (!name.startsWith("__") && !name.equals("container") && !name.equals("volume")) {
                    group.addSubcommand(name, new CommandLine(spec.get()));
                }
            });
            group.addSubcommand("prune", new CommandLine(PruneCommand.spec()));
            group.getSubcommands().values().forEach(sub -> {
                if (List.of("run", "create", "exec").contains(sub.getCommandName())) {
                    sub.setStopAtPositional(true);
                }
            });
        }
    }
}
