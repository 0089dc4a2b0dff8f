package dev.vessel.cli.oci;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.runtime.OciException;
import dev.vessel.runtime.OciRuntime;
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
import picocli.CommandLine.Model.CommandSpec;

/** runc's verbs, each a thin layer over {@link OciRuntime}. */
final class OciSubcommands {
    private OciSubcommands() {
    }

    /** Shared: the parent's runtime, and runtime failures mapped to exit statuses. */
    abstract static class OciVerb extends VesselCommand {
        OciCommand parent;

        /** Every verb's model is declared in code (see {@link OciLifecycle}): nothing is injected. */
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
    static final class Train extends OciVerb {
        static CommandSpec spec(OciCommand parent) {
            Train c = new Train();
            SpecBuilder s = OciLifecycle.verb(c, parent, "__train", "Walk the run path for the AOT cache.");
            s.hidden();
            return s.spec();
        }

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

    static final class SpecCmd extends OciVerb {
        static CommandSpec spec(OciCommand parent) {
            SpecCmd c = new SpecCmd();
            SpecBuilder s = OciLifecycle.verb(c, parent, "spec", "Write a default config.json into the bundle directory.");
            s.option(Path.class, v -> c.bundle = v, "Bundle directory (default: current).", "-b", "--bundle").label("DIR");
            s.flag(v -> c.rootless = v, "Accepted for runc compatibility.", "--rootless");
            return s.spec();
        }

        Path bundle;

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

    static final class ListCmd extends OciVerb {
        static CommandSpec spec(OciCommand parent) {
            ListCmd c = new ListCmd();
            SpecBuilder s = OciLifecycle.verb(c, parent, "list", "List containers.");
            s.spec().aliases("ls");
            s.option("table", v -> c.format = v, "table or json.", "-f", "--format");
            s.flag(v -> c.quiet = v, "Only IDs.", "-q", "--quiet");
            return s.spec();
        }

        String format;

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

    static final class Ps extends OciVerb {
        static CommandSpec spec(OciCommand parent) {
            Ps c = new Ps();
            SpecBuilder s = OciLifecycle.verb(c, parent, "ps", "List the processes of a container.");
            s.option("table", v -> c.format = v, "table or json.", "-f", "--format");
            s.positional("0", "ID", v -> c.id = v, "");
            return s.spec();
        }

        String format;

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

    static final class Pause extends OciVerb {
        static CommandSpec spec(OciCommand parent) {
            Pause c = new Pause();
            SpecBuilder s = OciLifecycle.verb(c, parent, "pause", "Freeze every process of a container.");
            s.positional("0", "ID", v -> c.id = v, "");
            return s.spec();
        }

        String id;

        @Override
        int execute() throws IOException {
            runtime().pause(id);
            return 0;
        }
    }

    static final class Resume extends OciVerb {
        static CommandSpec spec(OciCommand parent) {
            Resume c = new Resume();
            SpecBuilder s = OciLifecycle.verb(c, parent, "resume", "Thaw a paused container.");
            s.positional("0", "ID", v -> c.id = v, "");
            return s.spec();
        }

        String id;

        @Override
        int execute() throws IOException {
            runtime().resume(id);
            return 0;
        }
    }

    static final class Update extends OciVerb {
        static CommandSpec spec(OciCommand parent) {
            Update c = new Update();
            SpecBuilder s = OciLifecycle.verb(c, parent, "update", "Change a container's resource limits while it runs.");
            s.option(String.class, v -> c.resources = v, "linux.resources JSON ('-' for stdin).", "-r", "--resources")
                    .label("FILE");
            s.option(Long.class, v -> c.memory = v, "Memory limit in bytes.", "-m", "--memory");
            s.option(Long.class, v -> c.memoryReservation = v, "Memory soft limit in bytes.", "--memory-reservation");
            s.option(Long.class, v -> c.memorySwap = v, "Memory plus swap limit in bytes.", "--memory-swap");
            s.option(Long.class, v -> c.cpuShares = v, "CPU shares.", "--cpu-shares");
            s.option(Long.class, v -> c.cpuQuota = v, "CPU quota (microseconds per period).", "--cpu-quota");
            s.option(Long.class, v -> c.cpuPeriod = v, "CPU period (microseconds).", "--cpu-period");
            s.option(String.class, v -> c.cpusetCpus = v, "CPUs allowed.", "--cpuset-cpus");
            s.option(String.class, v -> c.cpusetMems = v, "Memory nodes allowed.", "--cpuset-mems");
            s.option(Long.class, v -> c.pidsLimit = v, "Maximum number of processes.", "--pids-limit");
            s.option(Integer.class, v -> c.blkioWeight = v, "Block I/O weight.", "--blkio-weight");
            s.positional("0", "ID", v -> c.id = v, "");
            return s.spec();
        }

        String resources;

        Long memory;

        Long memoryReservation;

        Long memorySwap;

        Long cpuShares;

        Long cpuQuota;

        Long cpuPeriod;

        String cpusetCpus;

        String cpusetMems;

        Long pidsLimit;

        Integer blkioWeight;

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

    static final class Exec extends OciVerb {
        static CommandSpec spec(OciCommand parent) {
            Exec c = new Exec();
            SpecBuilder s = OciLifecycle.verb(c, parent, "exec", "Run a process in a running container.");
            s.option(Path.class, v -> c.process = v, "The process as JSON (config.json's process).", "-p", "--process")
                    .label("FILE");
            s.option(String.class, v -> c.cwd = v, "Working directory.", "--cwd");
            s.repeatable(v -> c.env = v, "Environment variable NAME=VALUE.", "-e", "--env");
            s.option(String.class, v -> c.user = v, "UID[:GID].", "-u", "--user");
            s.option(Path.class, v -> c.pidFile = v, "Write the process's pid here.", "--pid-file").label("FILE");
            s.flag(v -> c.tty = v, "Allocate a pty (its master goes to --console-socket).", "-t", "--tty");
            s.option(String.class, v -> c.consoleSocket = v, "Unix socket for the pty master.", "--console-socket")
                    .label("SOCKET");
            s.flag(v -> c.detach = v, "Return once the process runs (see --pid-file).", "-d", "--detach");
            s.option(int.class, v -> c.preserveFds = v, "Accepted for runc compatibility (0 only).", "--preserve-fds")
                    .label("N");
            s.flag(v -> c.noNewPrivs = v, "Set no_new_privs for the process.", "--no-new-privs");
            s.repeatable(v -> c.ignored = v, "Accepted for runc compatibility.", "--apparmor", "--process-label", "--cgroup")
                    .label("VALUE");
            s.positional("0", "ID", v -> c.id = v, "");
            s.remaining("1", "ARGS", v -> c.args = v, "");
            return s.spec();
        }

        Path process;

        String cwd;

        List<String> env;

        String user;

        Path pidFile;

        boolean tty;

        String consoleSocket;

        boolean detach;

        int preserveFds;

        boolean noNewPrivs;

        List<String> ignored;

        String id;

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
