package dev.vessel.engine.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vessel.engine.spec.OciConfigBuilder;
import java.util.List;
import java.util.Map;

/** How a container is isolated and limited, in the shape of Docker's {@code HostConfig}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostConfig(
        @JsonProperty("Binds") List<String> binds,
        @JsonProperty("NetworkMode") String networkMode,
        @JsonProperty("RestartPolicy") RestartPolicy restartPolicy,
        @JsonProperty("AutoRemove") boolean autoRemove,
        @JsonProperty("CapAdd") List<String> capAdd,
        @JsonProperty("CapDrop") List<String> capDrop,
        @JsonProperty("Init") boolean init,
        @JsonProperty("Privileged") boolean privileged,
        @JsonProperty("ReadonlyRootfs") boolean readonlyRootfs,
        @JsonProperty("SecurityOpt") List<String> securityOpt,
        @JsonProperty("Tmpfs") Map<String, String> tmpfs,
        @JsonProperty("ShmSize") long shmSize,
        @JsonProperty("Memory") long memory,
        @JsonProperty("MemorySwap") long memorySwap,
        @JsonProperty("MemoryReservation") long memoryReservation,
        @JsonProperty("NanoCpus") long nanoCpus,
        @JsonProperty("CpuShares") long cpuShares,
        @JsonProperty("CpusetCpus") String cpusetCpus,
        @JsonProperty("PidsLimit") Long pidsLimit,
        @JsonProperty("Ulimits") List<Ulimit> ulimits,
        @JsonProperty("Mounts") List<MountRequest> mounts) {

    public HostConfig withMounts(List<MountRequest> newMounts) {
        return new HostConfig(binds, networkMode, restartPolicy, autoRemove, capAdd, capDrop, init, privileged,
                readonlyRootfs, securityOpt, tmpfs, shmSize, memory, memorySwap, memoryReservation, nanoCpus,
                cpuShares, cpusetCpus, pidsLimit, ulimits, newMounts);
    }

    /**
     * The values in effect, as Docker and podman record them: swap twice the memory limit when only
     * that is set, /dev/shm's default size, capability names in their CAP_ form.
     */
    public HostConfig withDefaults() {
        long swap = memory > 0 && memorySwap == 0 ? 2 * memory : memorySwap;
        return new HostConfig(binds, networkMode, restartPolicy, autoRemove, capabilityNames(capAdd),
                capabilityNames(capDrop), init, privileged, readonlyRootfs, securityOpt, tmpfs,
                shmSize > 0 ? shmSize : DEFAULT_SHM_SIZE, memory, swap, memoryReservation, nanoCpus, cpuShares,
                cpusetCpus, pidsLimit, ulimits, mounts);
    }

    private static List<String> capabilityNames(List<String> names) {
        return names == null ? null : names.stream()
                .map(name -> name.equalsIgnoreCase("ALL") ? "ALL" : OciConfigBuilder.capabilityName(name)).toList();
    }

    /** Docker's default /dev/shm size, 64 MiB. */
    public static final long DEFAULT_SHM_SIZE = 64L << 20;

    /** {@code --restart}: no, on-failure[:N], always, unless-stopped. */
    public record RestartPolicy(@JsonProperty("Name") String name,
            @JsonProperty("MaximumRetryCount") int maximumRetryCount) {
        public static RestartPolicy parse(String text) {
            String[] parts = text.split(":", 2);
            String name = parts[0].isEmpty() ? "no" : parts[0];
            if (!List.of("no", "on-failure", "always", "unless-stopped").contains(name)) {
                throw new IllegalArgumentException("invalid restart policy '" + text
                        + "': use no, on-failure[:N], always or unless-stopped");
            }
            int retries = 0;
            if (parts.length == 2) {
                if (!name.equals("on-failure")) {
                    throw new IllegalArgumentException("restart policy '" + name + "' takes no retry count");
                }
                try {
                    retries = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    retries = -1;
                }
                if (retries < 0) {
                    throw new IllegalArgumentException("invalid retry count in restart policy '" + text + "'");
                }
            }
            return new RestartPolicy(name, retries);
        }
    }

    /** {@code --ulimit name=soft[:hard]}. */
    public record Ulimit(@JsonProperty("Name") String name, @JsonProperty("Soft") long soft,
            @JsonProperty("Hard") long hard) {
        private static final List<String> NAMES = List.of("core", "cpu", "data", "fsize", "locks", "memlock",
                "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack", "as");

        public static Ulimit parse(String text) {
            String[] nameValue = text.split("=", 2);
            if (nameValue.length != 2 || !NAMES.contains(nameValue[0])) {
                throw new IllegalArgumentException("invalid ulimit '" + text + "': use NAME=SOFT[:HARD] with NAME one of " + NAMES);
            }
            String[] limits = nameValue[1].split(":", 2);
            try {
                long soft = Long.parseLong(limits[0]);
                long hard = limits.length == 2 ? Long.parseLong(limits[1]) : soft;
                if (soft > hard && hard >= 0) {
                    throw new IllegalArgumentException("invalid ulimit '" + text + "': the soft limit exceeds the hard limit");
                }
                return new Ulimit(nameValue[0], soft, hard);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid ulimit '" + text + "': limits must be numbers");
            }
        }
    }

    /**
     * One mount a user asked for, in Docker's {@code Mounts} shape: a bind mount of a host path,
     * a named or anonymous volume, or a tmpfs.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MountRequest(@JsonProperty("Type") String type, @JsonProperty("Source") String source,
            @JsonProperty("Target") String target, @JsonProperty("ReadOnly") boolean readOnly,
            @JsonProperty("Options") List<String> options) {
    }
}
