package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.cli.format.GoTemplate;
import dev.vessel.engine.container.ContainerNotFoundException;
import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.engine.container.HostConfig;
import dev.vessel.engine.spec.OciConfigBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** `vessel inspect` (containers, then images) and `vessel container inspect`, in Docker's JSON shape. */
final class InspectCommand extends ContainerCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    String format;
    String type;
    List<String> names;

    /** A fresh model of `inspect`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        InspectCommand c = new InspectCommand();
        SpecBuilder s = SpecBuilder.command(c, "inspect", "Return low-level information on containers or images");
        s.option(String.class, v -> c.format = v, "Format output using a Go template, or json", "-f", "--format");
        s.option(String.class, v -> c.type = v, "Only inspect objects of this type: container or image", "--type");
        s.oneOrMore("0", "NAME", v -> c.names = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int execute() throws Exception {
        ArrayNode shown = JSON.createArrayNode();
        int status = 0;
        for (String name : names) {
            try {
                if ("image".equals(type)) {
                    throw new ContainerNotFoundException(name);
                }
                shown.add(inspect(containers().find(name)));
            } catch (ContainerNotFoundException notContainer) {
                if ("container".equals(type)) {
                    err().println("Error: No such container: " + name);
                    status = 1;
                    continue;
                }
                List<String> args = new ArrayList<>(List.of("--root", root().toString(), "image", "inspect"));
                if (format != null) {
                    args.addAll(List.of("--format", format));
                }
                args.add(name);
                int imageStatus = dev.vessel.cli.Vessel.execute(args.toArray(String[]::new), out(), err());
                if (imageStatus != 0) {
                    status = 1;
                }
            }
        }
        if (!shown.isEmpty()) {
            if (format == null || format.equals("json")) {
                out().println(JSON.writeValueAsString(shown));
            } else {
                for (var node : shown) {
                    out().println(GoTemplate.render(format, JSON.convertValue(node, Map.class)));
                }
            }
        }
        return status;
    }

    ObjectNode inspect(ContainerRecord record) {
        ObjectNode node = JSON.createObjectNode();
        List<String> args = new ArrayList<>();
        try {
            args.addAll(OciConfigBuilder.arguments(record.config()));
        } catch (IllegalArgumentException none) {
            // no command
        }
        node.put("Id", record.id());
        node.put("Created", record.created());
        node.put("Path", args.isEmpty() ? "" : args.get(0));
        ArrayNode argsNode = node.putArray("Args");
        args.stream().skip(1).forEach(argsNode::add);
        node.set("State", JSON.valueToTree(record.state()));
        node.put("Image", record.imageId());
        Path dir = containers().store().directory(record.id());
        node.put("LogPath", containers().logFile(record).toString());
        node.put("Name", "/" + record.name());
        node.put("RestartCount", record.restartCount());
        node.put("Driver", "overlay");
        node.set("HostConfig", JSON.valueToTree(record.hostConfig()));
        ObjectNode graph = node.putObject("GraphDriver");
        graph.put("Name", "overlay");
        ObjectNode data = graph.putObject("Data");
        data.put("MergedDir", dir.resolve("bundle").resolve("rootfs").toString());
        data.put("UpperDir", dir.resolve("upper").toString());
        data.put("WorkDir", dir.resolve("work").toString());
        ArrayNode mounts = node.putArray("Mounts");
        for (HostConfig.MountRequest mount : record.hostConfig().mounts() == null
                ? List.<HostConfig.MountRequest>of() : record.hostConfig().mounts()) {
            ObjectNode m = mounts.addObject();
            m.put("Type", mount.type());
            if (mount.type().equals("volume")) {
                m.put("Name", mount.source());
                m.put("Source", containers().root().resolve("volumes").resolve(mount.source()).resolve("_data").toString());
                m.put("Driver", "local");
            } else {
                m.put("Source", mount.source());
            }
            m.put("Destination", mount.target());
            m.put("Mode", mount.readOnly() ? "ro" : "");
            m.put("RW", !mount.readOnly());
            m.put("Propagation", mount.type().equals("bind") ? "rprivate" : "");
        }
        node.set("Config", JSON.valueToTree(record.config()));
        return node;
    }
}
