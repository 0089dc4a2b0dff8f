package dev.vessel.cli.container;

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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `top` and `stats`: a running container's processes and resource use. */
final class TopStatsCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopStatsCommands() {
    }

    @Command(name = "top", description = "Display the running processes of a container")
    static final class Top extends ContainerCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String container;

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

    @Command(name = "stats", description = "Display a live stream of container(s) resource usage statistics")
    static final class Stats extends ContainerCommand {
        @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
        boolean noStream;
        @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
        boolean all;
        @Option(names = "--format", description = "json or table")
        String format;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER")
        List<String> names = new ArrayList<>();

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
