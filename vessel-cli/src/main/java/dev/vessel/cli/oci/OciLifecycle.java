package dev.vessel.cli.oci;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.oci.OciSubcommands.OciVerb;
import dev.vessel.runtime.OciRuntime;
import dev.vessel.runtime.Signals;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The verbs other tools call for every container (runc's create, start, state, kill, delete and
 * run), declared in code (see {@link SpecBuilder}): podman or containerd start the runtime several
 * times per container, so its start-up counts several times over.
 */
final class OciLifecycle {
    private OciLifecycle() {
    }

    /** Each of these verbs, as subcommands of {@code oci}. */
    /**
     * Adds the lifecycle verb named (each CommandLine costs a short command a few ms to build),
     * or all of them when {@code only} is null or not one of them (for help and error messages).
     */
    static void addTo(CommandLine oci, OciCommand parent, String only) {
        CommandSpec named = only == null ? null : switch (only) {
            case "create" -> create(parent);
            case "start" -> start(parent);
            case "state" -> state(parent);
            case "kill" -> kill(parent);
            case "delete" -> delete(parent);
            case "run" -> run(parent);
            default -> null;
        };
        List<CommandSpec> verbs = named != null ? List.of(named)
                : List.of(create(parent), start(parent), state(parent), kill(parent), delete(parent), run(parent));
        for (CommandSpec verb : verbs) {
            oci.addSubcommand(verb.name(), new CommandLine(verb));
        }
    }

    static SpecBuilder verb(OciVerb command, OciCommand parent, String name, String description) {
        SpecBuilder spec = SpecBuilder.command(command, name, description);
        command.attach(parent, spec.spec());
        return spec;
    }

    private static CommandSpec create(OciCommand parent) {
        Create command = new Create();
        SpecBuilder spec = verb(command, parent, "create", "Create a container from a bundle (its process waits for start).");
        spec.option(Path.class, v -> command.bundle = v, "Bundle directory (default: current).", "-b", "--bundle")
                .label("DIR");
        spec.option(Path.class, v -> command.pidFile = v, "Write the container's pid here.", "--pid-file").label("FILE");
        spec.option(String.class, v -> command.consoleSocket = v,
                "Unix socket that receives the pty master when process.terminal is true.", "--console-socket")
                .label("SOCKET");
        spec.flag(v -> { }, "Accepted for runc compatibility.", "--no-pivot", "--no-new-keyring");
        spec.option(int.class, v -> { }, "Accepted for runc compatibility (0 only).", "--preserve-fds").label("N");
        spec.positional("0", "ID", v -> command.id = v, "The container's ID.");
        return spec.help().spec();
    }

    private static CommandSpec start(OciCommand parent) {
        Start command = new Start();
        SpecBuilder spec = verb(command, parent, "start", "Start a created container.");
        spec.positional("0", "ID", v -> command.id = v, "The container's ID.");
        return spec.help().spec();
    }

    private static CommandSpec state(OciCommand parent) {
        State command = new State();
        SpecBuilder spec = verb(command, parent, "state", "Print a container's state as JSON.");
        spec.positional("0", "ID", v -> command.id = v, "The container's ID.");
        return spec.help().spec();
    }

    private static CommandSpec kill(OciCommand parent) {
        Kill command = new Kill();
        SpecBuilder spec = verb(command, parent, "kill", "Send a signal (default TERM) to a container's init process.");
        spec.flag(v -> command.all = v, "Signal every process in the container.", "-a", "--all");
        spec.positional("0", "ID", v -> command.id = v, "The container's ID.");
        spec.optionalPositional("1", "SIGNAL", v -> command.signal = v, "The signal, by name or number (default TERM).");
        return spec.help().spec();
    }

    private static CommandSpec delete(OciCommand parent) {
        Delete command = new Delete();
        SpecBuilder spec = verb(command, parent, "delete", "Delete a stopped (or, with --force, running) container.");
        spec.flag(v -> command.force = v, "Kill it first if it is running.", "-f", "--force");
        spec.positional("0", "ID", v -> command.id = v, "The container's ID.");
        return spec.help().spec();
    }

    private static CommandSpec run(OciCommand parent) {
        Run command = new Run();
        SpecBuilder spec = verb(command, parent, "run",
                "Create and start a container; wait for it and exit with its status.");
        spec.option(Path.class, v -> command.bundle = v, "Bundle directory (default: current).", "-b", "--bundle")
                .label("DIR");
        spec.option(Path.class, v -> command.pidFile = v, "Write the container's pid here.", "--pid-file").label("FILE");
        spec.option(String.class, v -> command.consoleSocket = v, "Unix socket for the pty master.", "--console-socket")
                .label("SOCKET");
        spec.flag(v -> command.detach = v, "Return once started.", "-d", "--detach");
        spec.flag(v -> { }, "Accepted for runc compatibility.", "--no-pivot", "--no-new-keyring", "--keep");
        spec.positional("0", "ID", v -> command.id = v, "The container's ID.");
        return spec.help().spec();
    }

    static final class Create extends OciVerb {
        Path bundle;
        Path pidFile;
        String consoleSocket;
        String id;

        @Override
        int execute() throws IOException {
            runtime().create(id, bundle == null ? Path.of("") : bundle,
                    new OciRuntime.CreateOptions(pidFile, consoleSocket, null));
            return 0;
        }
    }

    static final class Start extends OciVerb {
        String id;

        @Override
        int execute() throws IOException {
            runtime().start(id);
            return 0;
        }
    }

    static final class State extends OciVerb {
        String id;

        @Override
        int execute() throws IOException {
            printJson(OciRuntime.publicState(runtime().state(id)));
            return 0;
        }
    }

    static final class Kill extends OciVerb {
        boolean all;
        String id;
        String signal = "TERM";

        @Override
        int execute() throws IOException {
            runtime().kill(id, Signals.parse(signal), all);
            return 0;
        }
    }

    static final class Delete extends OciVerb {
        boolean force;
        String id;

        @Override
        int execute() throws IOException {
            runtime().delete(id, force);
            return 0;
        }
    }

    static final class Run extends OciVerb {
        Path bundle;
        Path pidFile;
        String consoleSocket;
        boolean detach;
        String id;

        @Override
        int execute() throws IOException {
            Path dir = bundle == null ? Path.of("") : bundle;
            OciRuntime.CreateOptions options = new OciRuntime.CreateOptions(pidFile, consoleSocket, null);
            if (detach) {
                runtime().create(id, dir, options);
                runtime().start(id);
                return 0;
            }
            out().flush();
            return runtime().run(id, dir, options);
        }
    }
}
