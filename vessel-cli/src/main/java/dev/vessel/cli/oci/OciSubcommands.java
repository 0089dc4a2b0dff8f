package dev.vessel.cli.oci;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.runtime.OciException;
import dev.vessel.runtime.OciRuntime;
import dev.vessel.runtime.Signals;
import dev.vessel.runtime.spec.DefaultSpec;
import dev.vessel.os.json.PlainJson;
import dev.vessel.runtime.spec.SpecBinder;
import dev.vessel.runtime.spec.Spec;
import dev.vessel.runtime.spec.SpecReader;
import dev.vessel.runtime.state.ContainerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** runc's verbs, each a thin layer over {@link OciRuntime}. */
final class OciSubcommands {
    private OciSubcommands() {
    }

    /** Shared: the parent's runtime, and runtime failures mapped to exit statuses. */
    abstract static class OciVerb extends VesselCommand {
        @ParentCommand
        OciCommand parent;

        /** For the verbs declared in code (see {@link OciLifecycle}), which picocli does not inject. */
        void attach(OciCommand oci, picocli.CommandLine.Model.CommandSpec model) {
            parent = oci;
            spec = model;
        }

        OciRuntime runtime() {
            return parent.runtime();
        }

        @Override
        public final Integer call() throws IOException {
            RuntimeLog log = RuntimeLog.of(parent.log, parent.logFormat);
            try {
                return execute();
            } catch (OciException e) {
                logError(log, e);
                int status = e.status() == 126 || e.status() == 127 ? e.status() : VesselException.ENGINE_ERROR;
                throw new VesselException(status, e.getMessage());
            } catch (IllegalArgumentException | IllegalStateException e) {
                logError(log, e);
                throw new VesselException(e.getMessage());
            } catch (IOException | RuntimeException e) {
                logError(log, e);
                throw e;
            }
        }

        private static void logError(RuntimeLog log, Exception e) {
            if (log != null) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                log.error(message.replace('\n', ' ').strip());
            }
        }

        abstract int execute() throws IOException;

        void printJson(Object value) throws IOException {
            // Go's MarshalIndent layout (runc's): "key": value, two-space indent.
            out().println(new String(PlainJson.write(value, true), StandardCharsets.UTF_8));
        }
    }

    /** Hidden: walks the run path without running anything, for the AOT cache training. */
    @Command(name = "__train", hidden = true)
    static final class Train extends OciVerb {
        @Override
        int execute() throws IOException {
            Path scratch = Files.createTempDirectory("vessel-oci-train");
            try {
                dev.vessel.runtime.WarmUp.run(scratch);
            } finally {
                try (var walk = Files.walk(scratch)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "spec", description = "Write a default config.json into the bundle directory.")
    static final class SpecCmd extends OciVerb {
        @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", description = "Bundle directory (default: current).")
        Path bundle;

        @Option(names = "--rootless", description = "Accepted for runc compatibility.")
        boolean rootless;

        @Override
        int execute() throws IOException {
            Path dir = bundle == null ? Path.of("") : bundle;
            Path config = dir.toAbsolutePath().resolve("config.json");
            if (!Files.isDirectory(config.getParent())) {
                throw new VesselException("bundle directory " + config.getParent() + " does not exist");
            }
            if (Files.exists(config)) {
                throw new VesselException("File " + config + " exists. Remove it first");
            }
            Files.write(config, DefaultSpec.json());
            return 0;
        }
    }

    @Command(name = "list", aliases = "ls", description = "List containers.")
    static final class ListCmd extends OciVerb {
        @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table or json.")
        String format;

        @Option(names = {"-q", "--quiet"}, description = "Only IDs.")
        boolean quiet;

        @Override
        int execute() throws IOException {
            List<ContainerState> states = runtime().list();
            if (quiet) {
                states.forEach(s -> out().println(s.id()));
            } else if (format.equals("json")) {
                List<Map<String, Object>> json = new ArrayList<>();
                states.forEach(s -> json.add(OciRuntime.publicState(s)));
                printJson(json);
            } else if (format.equals("table")) {
                String row = "%-12s %-8s %-10s %-40s %-30s %s%n";
                out().printf(row, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
                for (ContainerState s : states) {
                    out().printf(row, s.id(), s.status().equals("stopped") ? 0 : s.pid(), s.status(), s.bundle(),
                            s.created(), s.owner().isEmpty() ? "root" : s.owner());
                }
            } else {
                throw new VesselException("invalid --format " + format + ": use table or json");
            }
            return 0;
        }
    }

    @Command(name = "ps", description = "List the processes of a container.")
    static final class Ps extends OciVerb {
        @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table or json.")
        String format;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute() throws IOException {
            List<Integer> pids = runtime().ps(id);
            if (format.equals("json")) {
                printJson(pids);
                return 0;
            }
            out().println("PID   CMD");
            for (int pid : pids) {
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                } catch (IOException e) {
                    cmd = "";
                }
                out().printf("%-5d %s%n", pid, cmd);
            }
            return 0;
        }
    }

    @Command(name = "pause", description = "Freeze every process of a container.")
    static final class Pause extends OciVerb {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute() throws IOException {
            runtime().pause(id);
            return 0;
        }
    }

    @Command(name = "resume", description = "Thaw a paused container.")
    static final class Resume extends OciVerb {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute() throws IOException {
            runtime().resume(id);
            return 0;
        }
    }

    @Command(name = "update", description = "Change a container's resource limits while it runs.")
    static final class Update extends OciVerb {
        @Option(names = {"-r", "--resources"}, paramLabel = "FILE", description = "linux.resources JSON ('-' for stdin).")
        String resources;

        @Option(names = {"-m", "--memory"}, description = "Memory limit in bytes.")
        Long memory;

        @Option(names = "--memory-reservation", description = "Memory soft limit in bytes.")
        Long memoryReservation;

        @Option(names = "--memory-swap", description = "Memory plus swap limit in bytes.")
        Long memorySwap;

        @Option(names = "--cpu-shares", description = "CPU shares.")
        Long cpuShares;

        @Option(names = "--cpu-quota", description = "CPU quota (microseconds per period).")
        Long cpuQuota;

        @Option(names = "--cpu-period", description = "CPU period (microseconds).")
        Long cpuPeriod;

        @Option(names = "--cpuset-cpus", description = "CPUs allowed.")
        String cpusetCpus;

        @Option(names = "--cpuset-mems", description = "Memory nodes allowed.")
        String cpusetMems;

        @Option(names = "--pids-limit", description = "Maximum number of processes.")
        Long pidsLimit;

        @Option(names = "--blkio-weight", description = "Block I/O weight.")
        Integer blkioWeight;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute() throws IOException {
            Spec.Resources r;
            if (resources != null) {
                byte[] bytes = resources.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(resources));
                r = SpecBinder.resources(SpecReader.json(bytes, resources), resources);
            } else {
                Spec.Memory mem = memory == null && memoryReservation == null && memorySwap == null ? null
                        : new Spec.Memory(memory, memoryReservation, memorySwap, null, null, null);
                Spec.Cpu cpu = cpuShares == null && cpuQuota == null && cpuPeriod == null && cpusetCpus == null
                        && cpusetMems == null ? null
                        : new Spec.Cpu(cpuShares, cpuQuota, cpuPeriod, null, null, cpusetCpus, cpusetMems);
                Spec.BlockIO io = blkioWeight == null ? null : new Spec.BlockIO(blkioWeight, null, null, null, null, null);
                r = new Spec.Resources(null, mem, cpu, pidsLimit == null ? null : new Spec.Pids(pidsLimit), io, null, null);
            }
            runtime().update(id, r);
            return 0;
        }
    }

    @Command(name = "exec", description = "Run a process in a running container.")
    static final class Exec extends OciVerb {
        @Option(names = {"-p", "--process"}, paramLabel = "FILE", description = "The process as JSON (config.json's process).")
        Path process;

        @Option(names = "--cwd", description = "Working directory.")
        String cwd;

        @Option(names = {"-e", "--env"}, description = "Environment variable NAME=VALUE.")
        List<String> env;

        @Option(names = {"-u", "--user"}, description = "UID[:GID].")
        String user;

        @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the process's pid here.")
        Path pidFile;

        @Option(names = {"-t", "--tty"}, description = "Allocate a pty (its master goes to --console-socket).")
        boolean tty;

        @Option(names = "--console-socket", paramLabel = "SOCKET", description = "Unix socket for the pty master.")
        String consoleSocket;

        @Option(names = {"-d", "--detach"}, description = "Return once the process runs (see --pid-file).")
        boolean detach;

        @Option(names = "--preserve-fds", paramLabel = "N", description = "Accepted for runc compatibility (0 only).")
        int preserveFds;

        @Option(names = {"--no-new-privs"}, description = "Set no_new_privs for the process.")
        boolean noNewPrivs;

        @Option(names = {"--apparmor", "--process-label", "--cgroup"}, paramLabel = "VALUE",
                description = "Accepted for runc compatibility.")
        List<String> ignored;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1..*", paramLabel = "ARGS")
        List<String> args;

        @Override
        int execute() throws IOException {
            if (preserveFds != 0) {
                throw new VesselException("--preserve-fds is not supported yet");
            }
            Spec.Process p;
            if (process != null) {
                p = SpecBinder.process(SpecReader.json(Files.readAllBytes(process), process.toString()), process.toString());
            } else {
                if (args == null || args.isEmpty()) {
                    throw new VesselException("exec needs --process FILE or the command to run");
                }
                ContainerState state = runtime().state(id);
                Spec base = SpecReader.read(Path.of(state.bundle()).resolve("config.json"));
                Spec.Process b = base.process();
                List<String> environment = new ArrayList<>(b.env() == null ? List.of() : b.env());
                if (env != null) {
                    environment.addAll(env);
                }
                Spec.User u = b.user();
                if (user != null) {
                    String[] parts = user.split(":");
                    u = new Spec.User(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0L, null, null);
                }
                if (tty && environment.stream().noneMatch(e -> e.startsWith("TERM="))) {
                    environment.add("TERM=xterm");
                }
                p = new Spec.Process(tty, u, args, environment, cwd != null ? cwd : b.cwd(), b.capabilities(),
                        b.rlimits(), noNewPrivs || Boolean.TRUE.equals(b.noNewPrivileges()), null, null, null);
            }
            if (Boolean.TRUE.equals(p.terminal()) && consoleSocket == null) {
                throw new VesselException("exec with a terminal needs --console-socket SOCKET to receive the pty");
            }
            out().flush();
            return runtime().exec(id, p, new OciRuntime.ExecOptions(null, pidFile, consoleSocket, detach));
        }
    }
}
