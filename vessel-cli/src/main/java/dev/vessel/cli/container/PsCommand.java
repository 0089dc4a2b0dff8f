package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.cli.format.GoTemplate;
import dev.vessel.cli.format.Table;
import dev.vessel.cli.format.Units;
import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.engine.container.ContainerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

final class PsCommand extends ContainerCommand {
    /** Made on first use: only --format needs it, and a mapper is slow to start. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    boolean all;
    boolean quiet;
    boolean noTrunc;
    List<String> filters = new ArrayList<>();
    String format;

    static CommandSpec spec() {
        PsCommand c = new PsCommand();
        SpecBuilder s = SpecBuilder.command(c, "ps", "List containers");
        s.flag(v -> c.all = v, "Show all containers (default shows just running)", "-a", "--all");
        s.flag(v -> c.quiet = v, "Only display container IDs", "-q", "--quiet");
        s.flag(v -> c.noTrunc = v, "Don't truncate output", "--no-trunc");
        s.repeatable(v -> c.filters = v, "Filter output (id, name, label, status, exited, ancestor)", "-f", "--filter");
        s.option(String.class, v -> c.format = v, "Format output: table, json, or a Go template", "--format");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int execute() throws Exception {
        Instant now = Instant.now();
        List<ContainerRecord> shown = new ArrayList<>();
        for (ContainerRecord record : containers().list()) {
            if ((all || record.state().running() || !filters.isEmpty()) && matches(record)) {
                shown.add(record);
            }
        }
        if (quiet) {
            shown.forEach(r -> out().println(noTrunc ? r.id() : r.id().substring(0, 12)));
            return 0;
        }
        if (format != null && format.equals("json")) {
            for (ContainerRecord record : shown) {
                out().println(Mapper.JSON.writeValueAsString(json(record, now)));
            }
            return 0;
        }
        if (format != null && !format.equals("table")) {
            for (ContainerRecord record : shown) {
                out().println(GoTemplate.render(format, Mapper.JSON.convertValue(json(record, now), Map.class)));
            }
            return 0;
        }
        Table table = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        for (ContainerRecord record : shown) {
            table.add(noTrunc ? record.id() : record.id().substring(0, 12), record.imageName(),
                    command(record, !noTrunc), Units.ago(Instant.parse(record.created()), now),
                    status(record.state(), now), "", record.name());
        }
        table.print(out());
        return 0;
    }

    private boolean matches(ContainerRecord record) {
        for (String filter : filters) {
            String[] kv = filter.split("=", 2);
            String value = kv.length == 2 ? kv[1] : "";
            boolean ok = switch (kv[0]) {
                case "id" -> record.id().startsWith(value);
                case "name" -> record.name().contains(value);
                case "status" -> record.state().status().equals(value);
                case "exited" -> !record.state().running() && !record.state().status().equals("created")
                        && Integer.toString(record.state().exitCode()).equals(value);
                case "ancestor" -> record.imageName().equals(value) || record.imageId().equals(value);
                case "label" -> {
                    String[] label = value.split("=", 2);
                    Map<String, String> labels = record.config().labels();
                    yield labels != null && labels.containsKey(label[0])
                            && (label.length == 1 || label[1].equals(labels.get(label[0])));
                }
                default -> throw new IllegalArgumentException("invalid filter '" + kv[0] + "'");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Docker quotes the command and truncates it to 20 characters with an ellipsis. */
    static String command(ContainerRecord record, boolean truncate) {
        List<String> args = new ArrayList<>();
        if (record.config().entrypoint() != null) {
            args.addAll(record.config().entrypoint());
        }
        if (record.config().cmd() != null) {
            args.addAll(record.config().cmd());
        }
        String text = String.join(" ", args);
        if (truncate && text.length() > 19) {
            text = text.substring(0, 19) + "…";
        }
        return "\"" + text + "\"";
    }

    /** Docker's STATUS column: Created, Up 3 seconds, Up 2 minutes (Paused), Exited (3) 5 seconds ago. */
    static String status(ContainerState state, Instant now) {
        return switch (state.status()) {
            case "created" -> "Created";
            case "running", "paused" -> "Up " + Units.humanDuration(java.time.Duration.between(
                    Instant.parse(state.startedAt()), now)) + (state.paused() ? " (Paused)" : "");
            default -> "Exited (" + state.exitCode() + ") " + Units.ago(Instant.parse(state.finishedAt()), now);
        };
    }

    private static ObjectNode json(ContainerRecord record, Instant now) {
        ObjectNode node = Mapper.JSON.createObjectNode();
        node.put("Command", command(record, false));
        node.put("CreatedAt", record.created());
        node.put("ID", record.id().substring(0, 12));
        node.put("Id", record.id());
        node.put("Image", record.imageName());
        node.put("ImageID", record.imageId());
        ObjectNode labels = node.putObject("Labels");
        if (record.config().labels() != null) {
            record.config().labels().forEach(labels::put);
        }
        ArrayNode names = node.putArray("Names");
        names.add(record.name());
        node.put("State", record.state().status());
        node.put("Status", status(record.state(), now));
        node.put("ExitCode", record.state().exitCode());
        node.put("Pid", record.state().pid());
        node.put("RunningFor", Units.humanDuration(java.time.Duration.between(Instant.parse(record.created()), now)));
        return node;
    }
}
