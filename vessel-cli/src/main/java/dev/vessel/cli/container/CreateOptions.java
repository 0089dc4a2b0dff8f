package dev.vessel.cli.container;

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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The flags `vessel create` and `vessel run` share, with Docker's names. */
final class CreateOptions {
    @Option(names = "--name", description = "Assign a name to the container")
    String name;
    @Option(names = {"-e", "--env"}, description = "Set environment variables")
    List<String> env = new ArrayList<>();
    @Option(names = "--env-file", description = "Read in a file of environment variables")
    List<Path> envFiles = new ArrayList<>();
    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
    String workdir;
    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user;
    @Option(names = "--entrypoint", description = "Overwrite the default ENTRYPOINT of the image")
    String entrypoint;
    @Option(names = {"-h", "--hostname"}, description = "Container host name")
    String hostname;
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;
    @Option(names = {"-m", "--memory"}, description = "Memory limit")
    String memory;
    @Option(names = "--memory-swap", description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    String memorySwap;
    @Option(names = "--memory-reservation", description = "Memory soft limit")
    String memoryReservation;
    @Option(names = "--cpus", description = "Number of CPUs")
    Double cpus;
    @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight)")
    long cpuShares;
    @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;
    @Option(names = "--pids-limit", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;
    @Option(names = "--ulimit", description = "Ulimit options")
    List<String> ulimits = new ArrayList<>();
    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
    boolean readOnly;
    @Option(names = "--tmpfs", description = "Mount a tmpfs directory")
    List<String> tmpfs = new ArrayList<>();
    @Option(names = {"-v", "--volume"}, description = "Bind mount a volume")
    List<String> volumes = new ArrayList<>();
    @Option(names = "--mount", description = "Attach a filesystem mount to the container")
    List<String> mounts = new ArrayList<>();
    @Option(names = "--network", description = "Connect a container to a network: none or host", defaultValue = "none")
    String network;
    @Option(names = "--cap-add", description = "Add Linux capabilities")
    List<String> capAdd = new ArrayList<>();
    @Option(names = "--cap-drop", description = "Drop Linux capabilities")
    List<String> capDrop = new ArrayList<>();
    @Option(names = "--privileged", description = "Give extended privileges to this container")
    boolean privileged;
    @Option(names = "--security-opt", description = "Security options: no-new-privileges, seccomp=FILE|unconfined")
    List<String> securityOpt = new ArrayList<>();
    @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps processes")
    boolean init;
    @Option(names = "--restart", description = "Restart policy: no, on-failure[:N], always, unless-stopped", defaultValue = "no")
    String restart;
    @Option(names = {"-l", "--label"}, description = "Set meta data on a container")
    List<String> labels = new ArrayList<>();
    @Option(names = "--stop-signal", description = "Signal to stop the container")
    String stopSignal;
    @Option(names = "--stop-timeout", description = "Timeout (in seconds) to stop a container")
    Integer stopTimeout;
    @Option(names = "--shm-size", description = "Size of /dev/shm")
    String shmSize;
    @Option(names = "--rm", description = "Automatically remove the container when it exits")
    boolean remove;
    @Option(names = "--pull", defaultValue = "missing", description = "Pull image before running: always, missing or never")
    String pull;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to run")
    String image;
    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "The command and its arguments")
    List<String> command = new ArrayList<>();

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
