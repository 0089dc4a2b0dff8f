package dev.vessel.runtime.cgroup;

import dev.vessel.runtime.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes the spec's linux.resources into the cgroup files of v1 controllers or of v2. */
final class ResourceWriter {
    private final List<Hierarchy> hierarchies;
    private final List<Path> dirs;

    ResourceWriter(List<Hierarchy> hierarchies, List<Path> dirs) {
        this.hierarchies = hierarchies;
        this.dirs = dirs;
    }

    void apply(Spec.Resources r) throws IOException {
        if (r.memory() != null) {
            memory(r.memory());
        }
        if (r.cpu() != null) {
            cpu(r.cpu());
        }
        if (r.pids() != null && r.pids().limit() != null) {
            long limit = r.pids().limit();
            write("pids", "pids.max", "pids.max", limit > 0 ? Long.toString(limit) : "max");
        }
        if (r.blockIO() != null) {
            blockIO(r.blockIO());
        }
        if (r.hugepageLimits() != null) {
            for (Spec.HugepageLimit h : r.hugepageLimits()) {
                write("hugetlb", "hugetlb." + h.pageSize() + ".limit_in_bytes", "hugetlb." + h.pageSize() + ".max",
                        Long.toString(h.limit()));
            }
        }
        if (r.devices() != null) {
            devices(r.devices());
        }
        if (r.unified() != null) {
            Path v2 = v2Dir();
            if (v2 == null) {
                throw new IOException("linux.resources.unified needs cgroup v2 with its controllers");
            }
            for (Map.Entry<String, String> e : r.unified().entrySet()) {
                if (e.getKey().contains("/")) {
                    throw new IllegalArgumentException("linux.resources.unified: invalid file name " + e.getKey());
                }
                writeFile(v2.resolve(e.getKey()), e.getValue());
            }
        }
    }

    private void memory(Spec.Memory m) throws IOException {
        Path v1 = v1Dir("memory");
        if (v1 != null) {
            if (m.limit() != null) {
                writeFile(v1.resolve("memory.limit_in_bytes"), Long.toString(m.limit()));
            }
            if (m.reservation() != null) {
                writeFile(v1.resolve("memory.soft_limit_in_bytes"), Long.toString(m.reservation()));
            }
            if (m.swap() != null) {
                Path memsw = v1.resolve("memory.memsw.limit_in_bytes");
                if (Files.exists(memsw)) {
                    writeFile(memsw, Long.toString(m.swap()));
                } else if (m.swap() != -1 && !m.swap().equals(m.limit())) {
                    throw new IOException("linux.resources.memory.swap: this kernel has no swap accounting");
                }
            }
            if (m.swappiness() != null) {
                writeFile(v1.resolve("memory.swappiness"), Long.toString(m.swappiness()));
            }
            if (Boolean.TRUE.equals(m.disableOOMKiller())) {
                writeFile(v1.resolve("memory.oom_control"), "1");
            }
            return;
        }
        Path v2 = need("memory");
        if (m.limit() != null) {
            writeFile(v2.resolve("memory.max"), max(m.limit()));
        }
        if (m.reservation() != null) {
            writeFile(v2.resolve("memory.low"), max(m.reservation()));
        }
        if (m.swap() != null) {
            // v1's swap is memory+swap; v2 limits swap alone.
            String swap = m.swap() == -1 ? "max"
                    : Long.toString(Math.max(0, m.swap() - (m.limit() == null || m.limit() == -1 ? 0 : m.limit())));
            writeFile(v2.resolve("memory.swap.max"), swap);
        }
    }

    private void cpu(Spec.Cpu c) throws IOException {
        Path v1 = v1Dir("cpu");
        Path v2 = v1 == null ? v2Dir() : null;
        if (c.shares() != null && c.shares() != 0) {
            if (v1 != null) {
                writeFile(v1.resolve("cpu.shares"), Long.toString(c.shares()));
            } else {
                long weight = 1 + ((c.shares() - 2) * 9999) / 262142;
                writeFile(need("cpu").resolve("cpu.weight"), Long.toString(weight));
            }
        }
        if (c.quota() != null || c.period() != null) {
            if (v1 != null) {
                if (c.period() != null && c.period() != 0) {
                    writeFile(v1.resolve("cpu.cfs_period_us"), Long.toString(c.period()));
                }
                if (c.quota() != null && c.quota() != 0) {
                    writeFile(v1.resolve("cpu.cfs_quota_us"), Long.toString(c.quota()));
                }
            } else {
                long period = c.period() == null || c.period() == 0 ? 100000 : c.period();
                String quota = c.quota() == null || c.quota() <= 0 ? "max" : Long.toString(c.quota());
                writeFile(need("cpu").resolve("cpu.max"), quota + " " + period);
            }
        }
        if (c.cpus() != null && !c.cpus().isEmpty()) {
            write("cpuset", "cpuset.cpus", "cpuset.cpus", c.cpus());
        }
        if (c.mems() != null && !c.mems().isEmpty()) {
            write("cpuset", "cpuset.mems", "cpuset.mems", c.mems());
        }
        if (v2 != null && (c.realtimeRuntime() != null || c.realtimePeriod() != null)) {
            throw new IOException("linux.resources.cpu realtime settings need cgroup v1");
        }
    }

    private void blockIO(Spec.BlockIO b) throws IOException {
        Path v1 = v1Dir("blkio");
        if (b.weight() != null) {
            if (v1 != null) {
                Path file = Files.exists(v1.resolve("blkio.weight")) ? v1.resolve("blkio.weight") : v1.resolve("blkio.bfq.weight");
                writeFile(file, Integer.toString(b.weight()));
            } else {
                writeFile(need("io").resolve("io.weight"), "default " + b.weight());
            }
        }
        throttle(b.throttleReadBpsDevice(), v1, "blkio.throttle.read_bps_device", "rbps");
        throttle(b.throttleWriteBpsDevice(), v1, "blkio.throttle.write_bps_device", "wbps");
        throttle(b.throttleReadIOPSDevice(), v1, "blkio.throttle.read_iops_device", "riops");
        throttle(b.throttleWriteIOPSDevice(), v1, "blkio.throttle.write_iops_device", "wiops");
    }

    private void throttle(List<Spec.ThrottleDevice> devices, Path v1, String v1File, String v2Key) throws IOException {
        if (devices == null) {
            return;
        }
        for (Spec.ThrottleDevice d : devices) {
            String device = d.major() + ":" + d.minor();
            if (v1 != null) {
                writeFile(v1.resolve(v1File), device + " " + d.rate());
            } else {
                writeFile(need("io").resolve("io.max"), device + " " + v2Key + "=" + d.rate());
            }
        }
    }

    /** The devices every container gets (as runc): null, zero, full, tty, random, urandom, ptys, tun; mknod of any. */
    static final List<Spec.DeviceRule> DEFAULT_ALLOWED = List.of(
            allow("c", 1, 3, "rwm"), allow("c", 1, 5, "rwm"), allow("c", 1, 7, "rwm"), allow("c", 1, 8, "rwm"),
            allow("c", 1, 9, "rwm"), allow("c", 5, 0, "rwm"), allow("c", 5, 1, "rwm"), allow("c", 5, 2, "rwm"),
            allow("c", 136, -1, "rwm"), allow("c", 10, 200, "rwm"), allow("c", -1, -1, "m"), allow("b", -1, -1, "m"));

    private static Spec.DeviceRule allow(String type, long major, long minor, String access) {
        return new Spec.DeviceRule(true, type, major, minor, access);
    }

    /**
     * Set {@code vessel.devices=bpf} (system property) to use the v2 eBPF program even where a v1
     * devices controller exists: a hybrid host then behaves as a pure-v2 one (for tests).
     */
    static boolean forceBpf() {
        return "bpf".equals(System.getProperty("vessel.devices"));
    }

    /** The spec's rules then the defaults: v1 device lists, or on cgroup v2 an eBPF device program. */
    private void devices(List<Spec.DeviceRule> rules) throws IOException {
        List<Spec.DeviceRule> all = new java.util.ArrayList<>(rules);
        all.addAll(DEFAULT_ALLOWED);
        Path v1 = v1Dir("devices");
        if (v1 != null && !forceBpf()) {
            for (Spec.DeviceRule rule : all) {
                String type = rule.type() == null ? "a" : rule.type();
                String major = rule.major() == null || rule.major() < 0 ? "*" : rule.major().toString();
                String minor = rule.minor() == null || rule.minor() < 0 ? "*" : rule.minor().toString();
                String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
                String line = type.equals("a") ? "a" : type + " " + major + ":" + minor + " " + access;
                writeFile(v1.resolve(Boolean.TRUE.equals(rule.allow()) ? "devices.allow" : "devices.deny"), line);
            }
            return;
        }
        Path v2 = v2Dir();
        if (v2 == null) {
            return;
        }
        byte[] program = DeviceProgram.compile(all);
        try {
            BpfDeviceFilter.attach(program, v2);
        } catch (IOException e) {
            throw new IOException("cgroup: attaching the device program to " + v2 + ": " + e.getMessage(), e);
        }
    }

    private void write(String controller, String v1File, String v2File, String value) throws IOException {
        Path v1 = v1Dir(controller);
        if (v1 != null) {
            writeFile(v1.resolve(v1File), value);
        } else {
            writeFile(need(controller).resolve(v2File), value);
        }
    }

    private Path v1Dir(String controller) {
        for (int i = 0; i < hierarchies.size(); i++) {
            if (!hierarchies.get(i).v2() && hierarchies.get(i).has(controller)) {
                return dirs.get(i);
            }
        }
        return null;
    }

    private Path v2Dir() {
        for (int i = 0; i < hierarchies.size(); i++) {
            if (hierarchies.get(i).v2()) {
                return dirs.get(i);
            }
        }
        return null;
    }

    private Path need(String controller) throws IOException {
        for (int i = 0; i < hierarchies.size(); i++) {
            if (hierarchies.get(i).v2() && hierarchies.get(i).has(controller)) {
                return dirs.get(i);
            }
        }
        throw new IOException("cgroup controller " + controller + " is not available on this host");
    }

    private static String max(long value) {
        return value < 0 ? "max" : Long.toString(value);
    }

    private static void writeFile(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IOException("cgroup: writing " + value + " to " + file + ": " + e.getMessage(), e);
        }
    }
}
