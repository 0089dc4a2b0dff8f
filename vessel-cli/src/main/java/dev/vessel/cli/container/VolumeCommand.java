package dev.vessel.cli.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vessel.cli.format.Table;
import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.engine.container.HostConfig;
import dev.vessel.engine.volume.Volume;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "volume", description = "Manage volumes",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.Ls.class, VolumeCommand.Inspect.class,
            VolumeCommand.Rm.class, VolumeCommand.Prune.class})
final class VolumeCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Set<String> inUse(ContainerCommand command) throws Exception {
        Set<String> names = new HashSet<>();
        for (ContainerRecord record : command.containers().store().list()) {
            for (HostConfig.MountRequest mount : record.hostConfig().mounts() == null
                    ? List.<HostConfig.MountRequest>of() : record.hostConfig().mounts()) {
                if (mount.type().equals("volume")) {
                    names.add(mount.source());
                }
            }
        }
        return names;
    }

    @Command(name = "create", description = "Create a volume")
    static final class Create extends ContainerCommand {
        @Option(names = {"-l", "--label"}, description = "Set metadata for a volume")
        List<String> labels = new ArrayList<>();
        @Parameters(arity = "0..1", paramLabel = "VOLUME")
        String name;

        @Override
        protected int execute() throws Exception {
            Map<String, String> labelMap = new LinkedHashMap<>();
            for (String label : labels) {
                String[] kv = label.split("=", 2);
                labelMap.put(kv[0], kv.length == 2 ? kv[1] : "");
            }
            String volumeName = name != null ? name : dev.vessel.engine.container.ContainerIds.newId();
            out().println(containers().volumes().create(volumeName, labelMap, name == null).name());
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List volumes")
    static final class Ls extends ContainerCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
        boolean quiet;
        @Option(names = "--format", description = "json or table")
        String format;

        @Override
        protected int execute() throws Exception {
            List<Volume> volumes = containers().volumes().list();
            if (quiet) {
                volumes.forEach(v -> out().println(v.name()));
            } else if ("json".equals(format)) {
                for (Volume volume : volumes) {
                    out().println(new ObjectMapper().writeValueAsString(volume));
                }
            } else {
                Table table = new Table("DRIVER", "VOLUME NAME");
                volumes.forEach(v -> table.add(v.driver(), v.name()));
                table.print(out());
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more volumes")
    static final class Inspect extends ContainerCommand {
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Override
        protected int execute() throws Exception {
            List<Volume> found = new ArrayList<>();
            for (String name : names) {
                found.add(containers().volumes().read(name));
            }
            out().println(JSON.writeValueAsString(found));
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more volumes")
    static final class Rm extends ContainerCommand {
        @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes")
        boolean force;
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Override
        protected int execute() throws Exception {
            Set<String> used = inUse(this);
            int status = 0;
            for (String name : names) {
                try {
                    containers().volumes().remove(name, used);
                    out().println(name);
                } catch (Exception e) {
                    if (!(force && e.getMessage().startsWith("No such volume"))) {
                        err().println("Error response from daemon: " + e.getMessage());
                        status = 1;
                    }
                }
            }
            return status;
        }
    }

    @Command(name = "prune", description = "Remove unused anonymous volumes (all unused with -a)")
    static final class Prune extends ContainerCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
        boolean all;
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        @Override
        protected int execute() throws Exception {
            Set<String> used = inUse(this);
            out().println("Deleted Volumes:");
            for (Volume volume : containers().volumes().list()) {
                if (!used.contains(volume.name()) && (all || volume.anonymous())) {
                    containers().volumes().remove(volume.name(), used);
                    out().println(volume.name());
                }
            }
            return 0;
        }
    }
}
