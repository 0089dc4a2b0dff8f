package dev.vessel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import dev.vessel.cli.container.ContainerVerbs;
import dev.vessel.cli.disk.DiskVerbs;
import dev.vessel.cli.image.ImageVerbs;
import dev.vessel.cli.oci.OciVerbs;
import dev.vessel.cli.registry.RegistryVerbs;
import dev.vessel.cli.vm.VmVerbs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The `vessel` command: global options and the list of verbs. */
@Command(name = "vessel",
        mixinStandardHelpOptions = true,
        versionProvider = Vessel.Version.class,
        description = "Containers and virtual machines: one tool, one store.",
        subcommands = {
            CommandLine.HelpCommand.class,
            TrainingCommand.class,
        })
public final class Vessel implements Runnable {
    public static final String DEFAULT_ROOT = "/var/lib/vessel";

    @Option(names = "--root", paramLabel = "DIR",
            description = "State directory (default: $VESSEL_ROOT, else " + DEFAULT_ROOT + ").")
    Path root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The state directory chosen by --root, else VESSEL_ROOT, else the default. */
    public Path root() {
        if (root != null) {
            return root.toAbsolutePath();
        }
        String fromEnv = System.getenv("VESSEL_ROOT");
        return Path.of(fromEnv != null && !fromEnv.isEmpty() ? fromEnv : DEFAULT_ROOT).toAbsolutePath();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line, writing to the given streams; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Every domain's verbs; add a group here when a new domain gets commands. */
    static List<VerbGroup> verbGroups() {
        return List.of(new ImageVerbs(), new ContainerVerbs(), new RegistryVerbs(), new OciVerbs(), new DiskVerbs(),
                new VmVerbs());
    }

    /**
     * The command line for these arguments. Picocli builds a verb's whole model when it is added,
     * so only the verb being run is added (all of them for help, or when no verb is named): this
     * keeps the start of every command short.
     */
    static CommandLine commandLine(String[] args) {
        String verb = verbOf(args);
        boolean versionOnly = verb == null && isVersionRequest(args);
        CommandLine commandLine = new CommandLine(new Vessel());
        for (VerbGroup group : verbGroups()) {
            for (Class<?> command : group.commands()) {
                if (!versionOnly && (verb == null || names(command).contains(verb))) {
                    commandLine.addSubcommand(command);
                }
            }
            group.configure(commandLine, args);
        }
        addHelpOption(commandLine);
        // Handlers reach only the subcommands present when they are set: set them last.
        commandLine.setExecutionExceptionHandler(Vessel::reportFailure);
        commandLine.setParameterExceptionHandler(Vessel::reportUsageError);
        return commandLine;
    }

    /** Every command answers --help (Docker's spelling; -h is a flag of some verbs, such as run's hostname). */
    private static void addHelpOption(CommandLine commandLine) {
        CommandLine.Model.CommandSpec spec = commandLine.getCommandSpec();
        if (spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp)) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            addHelpOption(sub);
        }
    }

    /** The first argument that is not a global option, or null when it is not a plain verb name. */
    static String verbOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--root")) {
                i++;
            } else if (!arg.startsWith("--root=")) {
                return arg.startsWith("-") || arg.equals("help") ? null : arg;
            }
        }
        return null;
    }

    private static boolean isVersionRequest(String[] args) {
        for (String arg : args) {
            if (arg.equals("--version") || arg.equals("-V")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        if (annotation == null) {
            return List.of();
        }
        List<String> names = new java.util.ArrayList<>(List.of(annotation.aliases()));
        names.add(annotation.name());
        return names;
    }

    private static int reportFailure(Exception e, CommandLine failed, CommandLine.ParseResult parsed) {
        PrintWriter err = failed.getErr();
        int status = VesselException.ENGINE_ERROR;
        if (e instanceof VesselException v) {
            status = v.exitCode();
        }
        err.println("vessel: " + oneLine(e));
        if (System.getenv("VESSEL_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return status;
    }

    private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("vessel: " + e.getMessage());
        err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return VesselException.ENGINE_ERROR;
    }

    /** The message of a failure on a single line, falling back to its type when it has none. */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ').strip();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Vessel.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"vessel version " + properties.getProperty("version", "unknown")};
        }
    }
}
