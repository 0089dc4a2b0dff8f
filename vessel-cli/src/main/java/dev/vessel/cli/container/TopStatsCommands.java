package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.cli.format.Table;
import dev.vessel.cli.format.Units;
import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.engine.stats.CgroupStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/** `top` and `stats`: a running container's processes and resource use. */
final class TopStatsCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopStatsCommands() {
    }

    static final class Top extends ContainerCommand {
        String container;

        /** A fresh model of `top`, declared in code (see {@link SpecBuilder}). */
        static CommandSpec spec() {
            Top c = new Top();
            SpecBuilder s = SpecBuilder.command(c, "top", "Display the running processes of a container");
            s.positional("0", "CONTAINER", v -> c.container = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int execute() throws Exception {
            Table table = new Table("UID", "PID", "PPID", "STAT", "CMD");
            for (int pid : containers().processes(containers().find(container))) {
                Path proc = Path.of("/proc", Integer.toString(pid));
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String uid = "";
                    for (String line : Files.readAllLines(proc.resolve("status"))) {
                        if (line.startsWith("Uid:")) {
                            uid = line.split("\\s+")[1];
                        }
                    }
                    String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                    table.add(uid, Integer.toString(pid), fields[1], fields[0], cmd);
                } catch (java.io.IOException exited) {
                    // the process ended while we looked
                }
            }
            table.print(out());
            return 0;
        }
    }

    static final class Stats extends ContainerCommand {
        boolean noStream;
        boolean all;
        String format;
        List<String> names = new ArrayList<>();

        /** A fresh model of `stats`, declared in code (see {@link SpecBuilder}). */
        static CommandSpec spec() {
            Stats c = new Stats();
            SpecBuilder s = SpecBuilder.command(c, "stats", "Display a live stream of container(s) resource usage statistics");
            s.flag(v -> c.noStream = v, "Disable streaming stats and only pull the first result", "--no-stream");
            s.flag(v -> c.all = v, "Show all containers (default shows just running)", "-a", "--all");
            s.option(String.class, v -> c.format = v, "json or table", "--format");
            s.remaining("0", "CONTAINER", v -> c.names = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int execute() throws Exception {
            do {
                List<ContainerRecord> chosen = new ArrayList<>();
                if (names.isEmpty()) {
                    for (ContainerRecord record : containers().list()) {
                        if (all || record.state().running()) {
                            chosen.add(record);
                        }
                    }
                } else {
                    for (String name : names) {
                        chosen.add(containers().find(name));
                    }
                }
                List<CgroupStats> before = new ArrayList<>();
                for (ContainerRecord record : chosen) {
                    before.add(containers().stats(record));
                }
                long start = System.nanoTime();
                Thread.sleep(500);
                long elapsed = System.nanoTime() - start;
                Table table = new Table("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS");
                for (int i = 0; i < chosen.size(); i++) {
                    ContainerRecord record = chosen.get(i);
                    CgroupStats after = containers().stats(record);
                    double cpu = after.cpuNanos() > 0 ? 100.0 * (after.cpuNanos() - before.get(i).cpuNanos()) / elapsed : 0;
                    double memPercent = after.memoryLimit() > 0 ? 100.0 * after.memoryUsage() / after.memoryLimit() : 0;
                    String cpuText = String.format(Locale.ROOT, "%.2f%%", Math.max(0, cpu));
                    String memText = String.format(Locale.ROOT, "%.2f%%", memPercent);
                    String usage = Units.humanSize(after.memoryUsage()) + " / " + Units.humanSize(after.memoryLimit());
                    if ("json".equals(format)) {
                        ObjectNode node = JSON.createObjectNode();
                        node.put("Container", record.id().substring(0, 12));
                        node.put("ID", record.id().substring(0, 12));
                        node.put("Name", record.name());
                        node.put("CPUPerc", cpuText);
                        node.put("MemUsage", usage);
                        node.put("MemUsageBytes", after.memoryUsage());
                        node.put("MemLimitBytes", after.memoryLimit());
                        node.put("MemPerc", memText);
                        node.put("PIDs", Long.toString(after.pids()));
                        out().println(JSON.writeValueAsString(node));
                    } else {
                        table.add(record.id().substring(0, 12), record.name(), cpuText, usage, memText,
                                Long.toString(after.pids()));
                    }
                }
                if (!"json".equals(format)) {
                    table.print(out());
                }
                out().flush();
            } while (!noStream);
            return 0;
        }
    }
}
