package dev.vessel.engine.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.engine.container.ContainerConfig;
import dev.vessel.engine.container.HostConfig;
import dev.vessel.engine.spec.UserResolver.ResolvedUser;
import dev.vessel.runtime.InitBinary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a container's Docker-shaped configuration into an OCI runtime {@code config.json} with
 * Docker's defaults: its capability set, masked and read-only /proc and /sys paths, a private
 * /dev with the standard nodes, a 64 MiB /dev/shm, and the per-container /etc files.
 */
public final class OciConfigBuilder {
    /** Docker's default capabilities. */
    public static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
            "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP",
            "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** Every capability this kernel generation knows, for --privileged and --cap-add ALL. */
    public static final List<String> ALL_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
            "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
            "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
            "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
            "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long CPU_PERIOD = 100_000;

    /** A mount resolved to a host path (volumes already placed in the store). */
    public record ResolvedMount(String destination, String type, String source, List<String> options) {
    }

    /** The per-container files bind-mounted over /etc/hostname, /etc/hosts and /etc/resolv.conf. */
    public record EtcFiles(String hostname, String hosts, String resolvConf) {
    }

    private OciConfigBuilder() {
    }

    /**
     * The bundle's config.json. {@code initBinary}: with --init, the host's static init, mounted
     * read-only at {@link InitBinary#CONTAINER_PATH} and run as PID 1 before the command (null otherwise).
     */
    public static ObjectNode build(ContainerConfig config, HostConfig host, ResolvedUser user,
            List<ResolvedMount> mounts, EtcFiles etcFiles, JsonNode seccomp, String cgroupsPath, Path initBinary) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.put("ociVersion", "1.0.2");
        spec.set("process", process(config, host, user, initBinary != null));
        ObjectNode root = spec.putObject("root");
        root.put("path", "rootfs");
        root.put("readonly", host.readonlyRootfs());
        spec.put("hostname", config.hostname());
        if (config.domainname() != null && !config.domainname().isEmpty()) {
            spec.put("domainname", config.domainname());
        }
        ArrayNode allMounts = mounts(host, mounts, etcFiles);
        if (initBinary != null) {
            mount(allMounts, InitBinary.CONTAINER_PATH, "bind", initBinary.toString(),
                    List.of("bind", "ro", "nosuid", "nodev", "rprivate"));
        }
        spec.set("mounts", allMounts);
        spec.set("linux", linux(host, seccomp, cgroupsPath));
        return spec;
    }

    /** The command a container runs: the entrypoint followed by the command, as Docker combines them. */
    public static List<String> arguments(ContainerConfig config) {
        List<String> args = new ArrayList<>();
        if (config.entrypoint() != null) {
            args.addAll(config.entrypoint());
        }
        if (config.cmd() != null) {
            args.addAll(config.cmd());
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no command specified: the image has no CMD or ENTRYPOINT and none was given");
        }
        return args;
    }

    private static ObjectNode process(ContainerConfig config, HostConfig host, ResolvedUser user, boolean init) {
        ObjectNode process = JsonNodeFactory.instance.objectNode();
        process.put("terminal", config.tty());
        ObjectNode userNode = process.putObject("user");
        userNode.put("uid", Integer.toUnsignedLong(user.uid()));
        userNode.put("gid", Integer.toUnsignedLong(user.gid()));
        if (!user.additionalGids().isEmpty()) {
            ArrayNode gids = userNode.putArray("additionalGids");
            user.additionalGids().forEach(gid -> gids.add(Integer.toUnsignedLong(gid)));
        }
        ArrayNode args = process.putArray("args");
        if (init) {
            args.add(InitBinary.CONTAINER_PATH).add("--");
        }
        arguments(config).forEach(args::add);
        ArrayNode env = process.putArray("env");
        environment(config, user).forEach(env::add);
        process.put("cwd", config.workingDir() == null || config.workingDir().isEmpty() ? "/" : config.workingDir());
        List<String> capabilities = capabilities(host);
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode array = caps.putArray(set);
            capabilities.forEach(array::add);
        }
        if (host.ulimits() != null && !host.ulimits().isEmpty()) {
            ArrayNode rlimits = process.putArray("rlimits");
            for (HostConfig.Ulimit ulimit : host.ulimits()) {
                ObjectNode rlimit = rlimits.addObject();
                rlimit.put("type", "RLIMIT_" + ulimit.name().toUpperCase(Locale.ROOT));
                rlimit.put("hard", ulimit.hard());
                rlimit.put("soft", ulimit.soft());
            }
        }
        process.put("noNewPrivileges", securityOption(host, "no-new-privileges"));
        return process;
    }

    /** The image's and the user's variables, with PATH, HOSTNAME, HOME and TERM as Docker sets them. */
    static List<String> environment(ContainerConfig config, ResolvedUser user) {
        List<String> env = new ArrayList<>();
        List<String> given = config.env() == null ? List.of() : config.env();
        if (given.stream().noneMatch(e -> e.startsWith("PATH="))) {
            env.add(DEFAULT_PATH);
        }
        env.add("HOSTNAME=" + config.hostname());
        if (config.tty()) {
            env.add("TERM=xterm");
        }
        for (String variable : given) {
            String name = variable.split("=", 2)[0];
            env.removeIf(e -> e.split("=", 2)[0].equals(name));
            env.add(variable);
        }
        if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
            env.add("HOME=" + user.home());
        }
        return env;
    }

    public static List<String> capabilities(HostConfig host) {
        if (host.privileged()) {
            return ALL_CAPABILITIES;
        }
        Set<String> capabilities = new LinkedHashSet<>(DEFAULT_CAPABILITIES);
        List<String> drops = host.capDrop() == null ? List.of() : host.capDrop();
        List<String> adds = host.capAdd() == null ? List.of() : host.capAdd();
        for (String drop : drops) {
            if (drop.equalsIgnoreCase("ALL")) {
                capabilities.clear();
            } else {
                capabilities.remove(capabilityName(drop));
            }
        }
        for (String add : adds) {
            if (add.equalsIgnoreCase("ALL")) {
                capabilities.addAll(ALL_CAPABILITIES);
            } else {
                capabilities.add(capabilityName(add));
            }
        }
        return List.copyOf(capabilities);
    }

    /** {@code net_admin}, {@code NET_ADMIN} and {@code CAP_NET_ADMIN} all name CAP_NET_ADMIN. */
    public static String capabilityName(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        String name = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
        if (!ALL_CAPABILITIES.contains(name)) {
            throw new IllegalArgumentException("unknown capability '" + text + "'");
        }
        return name;
    }

    private static boolean securityOption(HostConfig host, String option) {
        return host.securityOpt() != null && host.securityOpt().stream()
                .anyMatch(o -> o.equals(option) || o.equals(option + "=true") || o.equals(option + ":true"));
    }

    private static ArrayNode mounts(HostConfig host, List<ResolvedMount> userMounts, EtcFiles etcFiles) {
        ArrayNode mounts = JsonNodeFactory.instance.arrayNode();
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(mounts, "/sys", "sysfs", "sysfs",
                List.of("nosuid", "noexec", "nodev", host.privileged() ? "rw" : "ro"));
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup",
                List.of("nosuid", "noexec", "nodev", "relatime", host.privileged() ? "rw" : "ro"));
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        long shm = host.shmSize() > 0 ? host.shmSize() : HostConfig.DEFAULT_SHM_SIZE;
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shm));
        if (etcFiles != null) {
            mount(mounts, "/etc/hostname", "bind", etcFiles.hostname(), List.of("rbind", "rprivate"));
            mount(mounts, "/etc/hosts", "bind", etcFiles.hosts(), List.of("rbind", "rprivate"));
            mount(mounts, "/etc/resolv.conf", "bind", etcFiles.resolvConf(), List.of("rbind", "rprivate"));
        }
        for (ResolvedMount userMount : userMounts) {
            mount(mounts, userMount.destination(), userMount.type(), userMount.source(), userMount.options());
        }
        return mounts;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode mount = mounts.addObject();
        mount.put("destination", destination);
        mount.put("type", type);
        mount.put("source", source);
        ArrayNode array = mount.putArray("options");
        options.forEach(array::add);
    }

    private static ObjectNode linux(HostConfig host, JsonNode seccomp, String cgroupsPath) {
        ObjectNode linux = JsonNodeFactory.instance.objectNode();
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", type);
        }
        if (!"host".equals(host.networkMode())) {
            namespaces.addObject().put("type", "network");
        }
        namespaces.addObject().put("type", "cgroup");
        linux.set("resources", resources(host));
        linux.put("cgroupsPath", cgroupsPath);
        if (!host.privileged()) {
            ArrayNode masked = linux.putArray("maskedPaths");
            MASKED_PATHS.forEach(masked::add);
            ArrayNode readonly = linux.putArray("readonlyPaths");
            READONLY_PATHS.forEach(readonly::add);
            if (seccomp != null) {
                linux.set("seccomp", seccomp);
            }
        }
        return linux;
    }

    private static ObjectNode resources(HostConfig host) {
        ObjectNode resources = JsonNodeFactory.instance.objectNode();
        ArrayNode devices = resources.putArray("devices");
        if (host.privileged()) {
            devices.addObject().put("allow", true).put("access", "rwm");
        } else {
            devices.addObject().put("allow", false).put("access", "rwm");
            // The standard nodes (null, zero, full, random, urandom, tty, console, ptmx) and ptys.
            for (int[] node : new int[][] {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}}) {
                devices.addObject().put("allow", true).put("type", "c").put("major", node[0]).put("minor", node[1])
                        .put("access", "rwm");
            }
            devices.addObject().put("allow", true).put("type", "c").put("major", 136).put("access", "rwm");
        }
        if (host.memory() > 0 || host.memoryReservation() > 0) {
            ObjectNode memory = resources.putObject("memory");
            if (host.memory() > 0) {
                memory.put("limit", host.memory());
                // Docker: without --memory-swap the container may use as much swap as memory.
                long swap = host.memorySwap() != 0 ? host.memorySwap() : 2 * host.memory();
                memory.put("swap", swap);
            }
            if (host.memoryReservation() > 0) {
                memory.put("reservation", host.memoryReservation());
            }
        }
        if (host.nanoCpus() > 0 || host.cpuShares() > 0 || host.cpusetCpus() != null && !host.cpusetCpus().isEmpty()) {
            ObjectNode cpu = resources.putObject("cpu");
            if (host.cpuShares() > 0) {
                cpu.put("shares", host.cpuShares());
            }
            if (host.nanoCpus() > 0) {
                cpu.put("quota", host.nanoCpus() * CPU_PERIOD / 1_000_000_000L);
                cpu.put("period", CPU_PERIOD);
            }
            if (host.cpusetCpus() != null && !host.cpusetCpus().isEmpty()) {
                cpu.put("cpus", host.cpusetCpus());
            }
        }
        if (host.pidsLimit() != null && host.pidsLimit() != 0) {
            resources.putObject("pids").put("limit", host.pidsLimit());
        }
        return resources;
    }

    /** The spec as compact JSON, written by jackson-core alone: an ObjectMapper is slow to start. */
    public static byte[] bytes(ObjectNode spec) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = new JsonFactory().createGenerator(out)) {
            write(generator, spec);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node) {
                    write(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    g.writeNumber(node.bigIntegerValue());
                } else {
                    g.writeNumber(node.decimalValue());
                }
            }
            case NULL -> g.writeNull();
            default -> throw new IOException("cannot write a " + node.getNodeType() + " node in config.json");
        }
    }
}
