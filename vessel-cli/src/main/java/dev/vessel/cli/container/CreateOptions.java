package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.engine.container.ContainerConfig;
import dev.vessel.engine.container.CreateRequest;
import dev.vessel.engine.container.HostConfig;
import dev.vessel.engine.spec.ByteSizes;
import dev.vessel.engine.spec.MountFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags `vessel create` and `vessel run` share, with Docker's names, declared in code (see
 * {@link SpecBuilder}: these two verbs' start-up is measured).
 */
final class CreateOptions {
    String name;
    List<String> env = new ArrayList<>();
    List<Path> envFiles = new ArrayList<>();
    String workdir;
    String user;
    String entrypoint;
    String hostname;
    boolean interactive;
    boolean tty;
    String memory;
    String memorySwap;
    String memoryReservation;
    Double cpus;
    long cpuShares;
    String cpusetCpus;
    Long pidsLimit;
    List<String> ulimits = new ArrayList<>();
    boolean readOnly;
    List<String> tmpfs = new ArrayList<>();
    List<String> volumes = new ArrayList<>();
    List<String> mounts = new ArrayList<>();
    String network;
    List<String> capAdd = new ArrayList<>();
    List<String> capDrop = new ArrayList<>();
    boolean privileged;
    List<String> securityOpt = new ArrayList<>();
    boolean init;
    String restart;
    List<String> labels = new ArrayList<>();
    String stopSignal;
    Integer stopTimeout;
    String shmSize;
    boolean remove;
    String pull;
    String image;
    List<String> command = new ArrayList<>();

    /** Adds these flags and the IMAGE [COMMAND...] parameters to a command. */
    void addTo(SpecBuilder spec) {
        spec.option(String.class, v -> name = v, "Assign a name to the container", "--name");
        spec.repeatable(v -> env = v, "Set environment variables", "-e", "--env");
        spec.repeatable(v -> envFiles = v.stream().map(Path::of).toList(),
                "Read in a file of environment variables", "--env-file");
        spec.option(String.class, v -> workdir = v, "Working directory inside the container", "-w", "--workdir");
        spec.option(String.class, v -> user = v, "Username or UID (format: <name|uid>[:<group|gid>])", "-u", "--user");
        spec.option(String.class, v -> entrypoint = v, "Overwrite the default ENTRYPOINT of the image", "--entrypoint");
        spec.option(String.class, v -> hostname = v, "Container host name", "-h", "--hostname");
        spec.flag(v -> interactive = v, "Keep STDIN open even if not attached", "-i", "--interactive");
        spec.flag(v -> tty = v, "Allocate a pseudo-TTY", "-t", "--tty");
        spec.option(String.class, v -> memory = v, "Memory limit", "-m", "--memory");
        spec.option(String.class, v -> memorySwap = v,
                "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", "--memory-swap");
        spec.option(String.class, v -> memoryReservation = v, "Memory soft limit", "--memory-reservation");
        spec.option(Double.class, v -> cpus = v, "Number of CPUs", "--cpus");
        spec.option(long.class, v -> cpuShares = v, "CPU shares (relative weight)", "-c", "--cpu-shares");
        spec.option(String.class, v -> cpusetCpus = v, "CPUs in which to allow execution (0-3, 0,1)", "--cpuset-cpus");
        spec.option(Long.class, v -> pidsLimit = v, "Tune container pids limit (set -1 for unlimited)", "--pids-limit");
        spec.repeatable(v -> ulimits = v, "Ulimit options", "--ulimit");
        spec.flag(v -> readOnly = v, "Mount the container's root filesystem as read only", "--read-only");
        spec.repeatable(v -> tmpfs = v, "Mount a tmpfs directory", "--tmpfs");
        spec.repeatable(v -> volumes = v, "Bind mount a volume", "-v", "--volume");
        spec.repeatable(v -> mounts = v, "Attach a filesystem mount to the container", "--mount");
        spec.option("none", v -> network = v, "Connect a container to a network: none or host", "--network");
        spec.repeatable(v -> capAdd = v, "Add Linux capabilities", "--cap-add");
        spec.repeatable(v -> capDrop = v, "Drop Linux capabilities", "--cap-drop");
        spec.flag(v -> privileged = v, "Give extended privileges to this container", "--privileged");
        spec.repeatable(v -> securityOpt = v,
                "Security options: no-new-privileges, seccomp=FILE|unconfined", "--security-opt");
        spec.flag(v -> init = v,
                "Run an init inside the container that forwards signals and reaps processes", "--init");
        spec.option("no", v -> restart = v, "Restart policy: no, on-failure[:N], always, unless-stopped", "--restart");
        spec.repeatable(v -> labels = v, "Set meta data on a container", "-l", "--label");
        spec.option(String.class, v -> stopSignal = v, "Signal to stop the container", "--stop-signal");
        spec.option(Integer.class, v -> stopTimeout = v, "Timeout (in seconds) to stop a container", "--stop-timeout");
        spec.option(String.class, v -> shmSize = v, "Size of /dev/shm", "--shm-size");
        spec.flag(v -> remove = v, "Automatically remove the container when it exits", "--rm");
        spec.option("missing", v -> pull = v, "Pull image before running: always, missing or never", "--pull");
        spec.positional("0", "IMAGE", v -> image = v, "The image to run");
        spec.remaining("1", "COMMAND", v -> command = v, "The command and its arguments");
    }

    CreateRequest toRequest() throws IOException {
        if (!network.equals("none") && !network.equals("host")) {
            throw new IllegalArgumentException("network " + network + " not found: use none or host");
        }
        List<String> variables = new ArrayList<>();
        for (Path file : envFiles) {
            variables.addAll(envFile(file));
        }
        variables.addAll(env);
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String label : labels) {
            String[] kv = label.split("=", 2);
            labelMap.put(kv[0], kv.length == 2 ? kv[1] : "");
        }
        List<HostConfig.MountRequest> mountRequests = new ArrayList<>();
        volumes.forEach(v -> mountRequests.add(MountFlags.volume(v)));
        mounts.forEach(m -> mountRequests.add(MountFlags.mount(m)));
        tmpfs.forEach(t -> mountRequests.add(MountFlags.tmpfs(t)));
        Map<String, String> tmpfsMap = new LinkedHashMap<>();
        for (String t : tmpfs) {
            int colon = t.indexOf(':');
            tmpfsMap.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
        }
        List<HostConfig.Ulimit> ulimitList = ulimits.stream().map(HostConfig.Ulimit::parse).toList();
        for (String option : securityOpt) {
            if (!option.matches("no-new-privileges(:true|=true)?|seccomp[=:].+|label[=:].+|apparmor[=:].+")) {
                throw new IllegalArgumentException("invalid --security-opt '" + option + "'");
            }
        }
        long memoryBytes = memory == null ? 0 : ByteSizes.parse(memory);
        long swapBytes = memorySwap == null ? 0 : memorySwap.equals("-1") ? -1 : ByteSizes.parse(memorySwap);
        if (swapBytes > 0 && memoryBytes > 0 && swapBytes < memoryBytes) {
            throw new IllegalArgumentException("minimum memoryswap limit should be larger than memory limit, see usage");
        }
        long nanoCpus = cpus == null ? 0 : Math.round(cpus * 1e9);
        if (cpus != null && cpus <= 0) {
            throw new IllegalArgumentException("invalid --cpus " + cpus + ": it must be positive");
        }
        HostConfig host = new HostConfig(volumes, network, HostConfig.RestartPolicy.parse(restart), remove, capAdd,
                capDrop, init, privileged, readOnly, securityOpt, tmpfsMap,
                shmSize == null ? 0 : ByteSizes.parse(shmSize), memoryBytes, swapBytes,
                memoryReservation == null ? 0 : ByteSizes.parse(memoryReservation), nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimitList, mountRequests);
        ContainerConfig config = new ContainerConfig(hostname, null, user, interactive, tty, interactive, null, null,
                image, workdir, null, labelMap, stopSignal, stopTimeout);
        return new CreateRequest(image, name, command, entrypoint, variables, config, host);
    }

    /** Docker's env-file: NAME=VALUE or NAME lines; # comments and blank lines skipped. */
    static List<String> envFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("open " + file + ": no such file or directory");
        }
        List<String> variables = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.stripLeading();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                variables.add(trimmed);
            }
        }
        return variables;
    }
}
