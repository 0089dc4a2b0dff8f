package dev.vessel.engine.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One reading of a container's cgroups, on cgroup v1 or v2: CPU time used, memory usage and
 * limit, and the number of processes.
 *
 * @param cpuNanos CPU time used by all its processes so far
 * @param memoryUsage bytes in use (without page cache on v1, as Docker shows it)
 * @param memoryLimit the limit in bytes, or the host's memory when unlimited
 * @param pids processes and threads
 */
public record CgroupStats(long cpuNanos, long memoryUsage, long memoryLimit, long pids) {

    public static CgroupStats read(List<Path> cgroupDirs) throws IOException {
        long cpu = 0;
        long usage = 0;
        long limit = hostMemory();
        long pids = 0;
        for (Path dir : cgroupDirs) {
            if (Files.exists(dir.resolve("cpuacct.usage"))) {
                cpu = number(dir.resolve("cpuacct.usage"));
            }
            if (Files.exists(dir.resolve("cpu.stat")) && cpu == 0) {
                for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
                    if (line.startsWith("usage_usec ")) {
                        cpu = Long.parseLong(line.substring(11).strip()) * 1000;
                    }
                }
            }
            if (Files.exists(dir.resolve("memory.usage_in_bytes"))) {
                usage = number(dir.resolve("memory.usage_in_bytes")) - statValue(dir.resolve("memory.stat"), "total_inactive_file");
                limit = Math.min(limit, number(dir.resolve("memory.limit_in_bytes")));
            } else if (Files.exists(dir.resolve("memory.current"))) {
                usage = number(dir.resolve("memory.current")) - statValue(dir.resolve("memory.stat"), "inactive_file");
                limit = Math.min(limit, number(dir.resolve("memory.max")));
            }
            if (Files.exists(dir.resolve("pids.current"))) {
                pids = number(dir.resolve("pids.current"));
            }
        }
        return new CgroupStats(cpu, Math.max(0, usage), limit, pids);
    }

    private static long number(Path file) throws IOException {
        String text = Files.readString(file).strip();
        if (text.equals("max")) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(text);
    }

    private static long statValue(Path file, String key) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).strip());
            }
        }
        return 0;
    }

    private static long hostMemory() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return Long.MAX_VALUE;
    }
}
