package dev.vessel.cli.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vessel.cli.SpecBuilder;
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
import picocli.CommandLine.Model.CommandSpec;

/**
 * `vessel volume VERB`, Docker's volume commands. The models are declared in code ({@link
 * SpecBuilder}); {@link ContainerVerbs#configure} adds the verbs.
 */
final class VolumeCommand implements Runnable {
    /** Made on first use: Jackson's databind takes tens of milliseconds to start, and most verbs print no JSON. */
    private static final class Json {
        static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        static final ObjectMapper COMPACT = new ObjectMapper();
    }

    private CommandSpec spec;

    static CommandSpec spec() {
        VolumeCommand c = new VolumeCommand();
        c.spec = SpecBuilder.command(c, "volume", "Manage volumes").spec();
        return c.spec;
    }

    /** The verbs, in the order help lists them. */
    static List<CommandSpec> verbs() {
        return List.of(Create.spec(), Ls.spec(), Inspect.spec(), Rm.spec(), Prune.spec());
    }

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

    static final class Create extends ContainerCommand {
        List<String> labels = new ArrayList<>();
        String name;

        static CommandSpec spec() {
            Create c = new Create();
            SpecBuilder s = SpecBuilder.command(c, "create", "Create a volume");
            s.repeatable(v -> c.labels = v, "Set metadata for a volume", "-l", "--label").label("<labels>");
            s.optionalPositional("0", "VOLUME", v -> c.name = v, "");
            c.spec = s.spec();
            return c.spec;
        }

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

    static final class Ls extends ContainerCommand {
        boolean quiet;
        String format;

        static CommandSpec spec() {
            Ls c = new Ls();
            SpecBuilder s = SpecBuilder.command(c, "ls", "List volumes");
            s.flag(v -> c.quiet = v, "Only display volume names", "-q", "--quiet");
            s.option(String.class, v -> c.format = v, "json or table", "--format");
            s.spec().aliases("list");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int execute() throws Exception {
            List<Volume> volumes = containers().volumes().list();
            if (quiet) {
                volumes.forEach(v -> out().println(v.name()));
            } else if ("json".equals(format)) {
                for (Volume volume : volumes) {
                    out().println(Json.COMPACT.writeValueAsString(volume));
                }
            } else {
                Table table = new Table("DRIVER", "VOLUME NAME");
                volumes.forEach(v -> table.add(v.driver(), v.name()));
                table.print(out());
            }
            return 0;
        }
    }

    static final class Inspect extends ContainerCommand {
        List<String> names;

        static CommandSpec spec() {
            Inspect c = new Inspect();
            SpecBuilder s = SpecBuilder.command(c, "inspect", "Display detailed information on one or more volumes");
            s.oneOrMore("0", "VOLUME", v -> c.names = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int execute() throws Exception {
            List<Volume> found = new ArrayList<>();
            for (String name : names) {
                found.add(containers().volumes().read(name));
            }
            out().println(Json.INDENTED.writeValueAsString(found));
            return 0;
        }
    }

    static final class Rm extends ContainerCommand {
        boolean force;
        List<String> names;

        static CommandSpec spec() {
            Rm c = new Rm();
            SpecBuilder s = SpecBuilder.command(c, "rm", "Remove one or more volumes");
            s.flag(v -> c.force = v, "Force the removal of one or more volumes", "-f", "--force");
            s.oneOrMore("0", "VOLUME", v -> c.names = v, "");
            s.spec().aliases("remove");
            c.spec = s.spec();
            return c.spec;
        }

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

    static final class Prune extends ContainerCommand {
        boolean all;
        boolean force;

        static CommandSpec spec() {
            Prune c = new Prune();
            SpecBuilder s = SpecBuilder.command(c, "prune", "Remove unused anonymous volumes (all unused with -a)");
            s.flag(v -> c.all = v, "Remove all unused volumes, not just anonymous ones", "-a", "--all");
            s.flag(v -> c.force = v, "Do not prompt for confirmation", "-f", "--force");
            c.spec = s.spec();
            return c.spec;
        }

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
