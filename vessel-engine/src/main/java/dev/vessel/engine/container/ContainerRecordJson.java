package dev.vessel.engine.container;

import dev.vessel.os.json.PlainJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * container.json by hand, with jackson-core's streaming reader and writer only (the runtime's
 * {@link PlainJson}): every command reads records and `run` writes several, and binding them with an
 * ObjectMapper costs more at start-up than the rest of the command. The shape is Docker's
 * inspect, as the records' {@code @JsonProperty} names say (null fields left out); unknown fields
 * are ignored.
 */
final class ContainerRecordJson {
    private ContainerRecordJson() {
    }

    static byte[] write(ContainerRecord r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Name", r.name());
        m.put("Created", r.created());
        m.put("Image", r.imageId());
        m.put("ImageName", r.imageName());
        m.put("Config", config(r.config()));
        m.put("HostConfig", host(r.hostConfig()));
        m.put("State", state(r.state()));
        m.put("RestartCount", r.restartCount());
        m.put("StopRequested", r.stopRequested());
        return PlainJson.write(m, true);
    }

    static ContainerRecord read(byte[] json) throws IOException {
        Map<String, Object> m = object(PlainJson.parse(json), "container record");
        return new ContainerRecord(string(m, "Id"), string(m, "Name"), string(m, "Created"), string(m, "Image"),
                string(m, "ImageName"), config(object(m.get("Config"), "Config")),
                host(object(m.get("HostConfig"), "HostConfig")), state(object(m.get("State"), "State")),
                (int) number(m, "RestartCount"), bool(m, "StopRequested"));
    }

    private static Map<String, Object> config(ContainerConfig c) {
        if (c == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", c.hostname());
        m.put("Domainname", c.domainname());
        m.put("User", c.user());
        m.put("AttachStdin", c.attachStdin());
        m.put("Tty", c.tty());
        m.put("OpenStdin", c.openStdin());
        m.put("Env", c.env());
        m.put("Cmd", c.cmd());
        m.put("Image", c.image());
        m.put("WorkingDir", c.workingDir());
        m.put("Entrypoint", c.entrypoint());
        m.put("Labels", c.labels());
        m.put("StopSignal", c.stopSignal());
        m.put("StopTimeout", c.stopTimeout());
        return m;
    }

    private static ContainerConfig config(Map<String, Object> m) throws IOException {
        if (m == null) {
            return null;
        }
        Object timeout = m.get("StopTimeout");
        return new ContainerConfig(string(m, "Hostname"), string(m, "Domainname"), string(m, "User"),
                bool(m, "AttachStdin"), bool(m, "Tty"), bool(m, "OpenStdin"), strings(m, "Env"), strings(m, "Cmd"),
                string(m, "Image"), string(m, "WorkingDir"), strings(m, "Entrypoint"), stringMap(m, "Labels"),
                string(m, "StopSignal"), timeout == null ? null : (int) number(m, "StopTimeout"));
    }

    private static Map<String, Object> host(HostConfig h) {
        if (h == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Binds", h.binds());
        m.put("NetworkMode", h.networkMode());
        if (h.restartPolicy() != null) {
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("Name", h.restartPolicy().name());
            policy.put("MaximumRetryCount", h.restartPolicy().maximumRetryCount());
            m.put("RestartPolicy", policy);
        }
        m.put("AutoRemove", h.autoRemove());
        m.put("CapAdd", h.capAdd());
        m.put("CapDrop", h.capDrop());
        m.put("Init", h.init());
        m.put("Privileged", h.privileged());
        m.put("ReadonlyRootfs", h.readonlyRootfs());
        m.put("SecurityOpt", h.securityOpt());
        m.put("Tmpfs", h.tmpfs());
        m.put("ShmSize", h.shmSize());
        m.put("Memory", h.memory());
        m.put("MemorySwap", h.memorySwap());
        m.put("MemoryReservation", h.memoryReservation());
        m.put("NanoCpus", h.nanoCpus());
        m.put("CpuShares", h.cpuShares());
        m.put("CpusetCpus", h.cpusetCpus());
        m.put("PidsLimit", h.pidsLimit());
        if (h.ulimits() != null) {
            List<Object> ulimits = new ArrayList<>();
            for (HostConfig.Ulimit u : h.ulimits()) {
                Map<String, Object> ulimit = new LinkedHashMap<>();
                ulimit.put("Name", u.name());
                ulimit.put("Soft", u.soft());
                ulimit.put("Hard", u.hard());
                ulimits.add(ulimit);
            }
            m.put("Ulimits", ulimits);
        }
        if (h.mounts() != null) {
            List<Object> mounts = new ArrayList<>();
            for (HostConfig.MountRequest r : h.mounts()) {
                Map<String, Object> mount = new LinkedHashMap<>();
                mount.put("Type", r.type());
                mount.put("Source", r.source());
                mount.put("Target", r.target());
                mount.put("ReadOnly", r.readOnly());
                mount.put("Options", r.options());
                mounts.add(mount);
            }
            m.put("Mounts", mounts);
        }
        return m;
    }

    private static HostConfig host(Map<String, Object> m) throws IOException {
        if (m == null) {
            return null;
        }
        Map<String, Object> policy = object(m.get("RestartPolicy"), "RestartPolicy");
        List<HostConfig.Ulimit> ulimits = null;
        if (m.get("Ulimits") != null) {
            ulimits = new ArrayList<>();
            for (Object each : list(m.get("Ulimits"), "Ulimits")) {
                Map<String, Object> u = object(each, "Ulimits");
                ulimits.add(new HostConfig.Ulimit(string(u, "Name"), number(u, "Soft"), number(u, "Hard")));
            }
        }
        List<HostConfig.MountRequest> mounts = null;
        if (m.get("Mounts") != null) {
            mounts = new ArrayList<>();
            for (Object each : list(m.get("Mounts"), "Mounts")) {
                Map<String, Object> r = object(each, "Mounts");
                mounts.add(new HostConfig.MountRequest(string(r, "Type"), string(r, "Source"), string(r, "Target"),
                        bool(r, "ReadOnly"), strings(r, "Options")));
            }
        }
        return new HostConfig(strings(m, "Binds"), string(m, "NetworkMode"),
                policy == null ? null : new HostConfig.RestartPolicy(string(policy, "Name"),
                        (int) number(policy, "MaximumRetryCount")),
                bool(m, "AutoRemove"), strings(m, "CapAdd"), strings(m, "CapDrop"), bool(m, "Init"),
                bool(m, "Privileged"), bool(m, "ReadonlyRootfs"), strings(m, "SecurityOpt"), stringMap(m, "Tmpfs"),
                number(m, "ShmSize"), number(m, "Memory"), number(m, "MemorySwap"), number(m, "MemoryReservation"),
                number(m, "NanoCpus"), number(m, "CpuShares"), string(m, "CpusetCpus"),
                m.get("PidsLimit") == null ? null : number(m, "PidsLimit"), ulimits, mounts);
    }

    private static Map<String, Object> state(ContainerState s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", s.status());
        m.put("Running", s.running());
        m.put("Paused", s.paused());
        m.put("Restarting", s.restarting());
        m.put("OOMKilled", s.oomKilled());
        m.put("Dead", s.dead());
        m.put("Pid", s.pid());
        m.put("ExitCode", s.exitCode());
        m.put("Error", s.error());
        m.put("StartedAt", s.startedAt());
        m.put("FinishedAt", s.finishedAt());
        return m;
    }

    private static ContainerState state(Map<String, Object> m) throws IOException {
        if (m == null) {
            return null;
        }
        return new ContainerState(string(m, "Status"), bool(m, "Running"), bool(m, "Paused"), bool(m, "Restarting"),
                bool(m, "OOMKilled"), bool(m, "Dead"), (int) number(m, "Pid"), (int) number(m, "ExitCode"),
                string(m, "Error"), string(m, "StartedAt"), string(m, "FinishedAt"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) throws IOException {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map)) {
            throw new IOException(what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value, String what) throws IOException {
        if (!(value instanceof List<?> list)) {
            throw new IOException(what + " is not a JSON array");
        }
        return list;
    }

    private static String string(Map<String, Object> m, String key) throws IOException {
        Object value = m.get(key);
        if (value != null && !(value instanceof String)) {
            throw new IOException(key + " is not a string");
        }
        return (String) value;
    }

    private static boolean bool(Map<String, Object> m, String key) throws IOException {
        Object value = m.get(key);
        if (value != null && !(value instanceof Boolean)) {
            throw new IOException(key + " is not true or false");
        }
        return Boolean.TRUE.equals(value);
    }

    private static long number(Map<String, Object> m, String key) throws IOException {
        Object value = m.get(key);
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Long number)) {
            throw new IOException(key + " is not an integer");
        }
        return number;
    }

    private static List<String> strings(Map<String, Object> m, String key) throws IOException {
        Object value = m.get(key);
        if (value == null) {
            return null;
        }
        List<String> result = new ArrayList<>();
        for (Object each : list(value, key)) {
            if (!(each instanceof String text)) {
                throw new IOException(key + " holds something other than strings");
            }
            result.add(text);
        }
        return result;
    }

    private static Map<String, String> stringMap(Map<String, Object> m, String key) throws IOException {
        Map<String, Object> value = object(m.get(key), key);
        if (value == null) {
            return null;
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : value.entrySet()) {
            if (e.getValue() != null && !(e.getValue() instanceof String)) {
                throw new IOException(key + "." + e.getKey() + " is not a string");
            }
            result.put(e.getKey(), (String) e.getValue());
        }
        return result;
    }
}
