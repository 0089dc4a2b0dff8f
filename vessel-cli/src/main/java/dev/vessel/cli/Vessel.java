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

/**
 * The `vessel` command: global options and the list of verbs. Its model and every verb's are
 * declared in code (see {@link SpecBuilder}); only the verb being run is added.
 */
public final class Vessel implements Runnable {
    public static final String DEFAULT_ROOT = "/var/lib/vessel";

    private Path root;
    private CommandLine.Model.CommandSpec spec;

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
        dev.vessel.runtime.Trace.mark("main");
        // -Dvessel.nopreload=true: without the preload thread (to measure what it gains)
        if (!Boolean.getBoolean("vessel.nopreload")) {
            Thread.ofPlatform().daemon().name("vessel-preload").start(new Preloads(preloads(args)));
        }
        int status = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.out.flush();
        System.err.flush();
        // halt, not System.exit: Runtime.exit logs the exit through System.Logger, whose first use
        // looks for a logging back-end (~13 ms of every command). Vessel registers no shutdown hooks.
        Runtime.getRuntime().halt(status);
    }

    /** What the verb groups want done beside the parsing of this command line ({@link VerbGroup#preload}). */
    static List<Runnable> preloads(String[] args) {
        String verb = verbOf(args);
        List<Runnable> preloads = new java.util.ArrayList<>();
        if (verb != null) {
            for (VerbGroup group : verbGroups()) {
                Runnable preload = group.preload(verb, args);
                if (preload != null) {
                    preloads.add(preload);
                }
            }
        }
        return preloads;
    }

    /** Runs one command line, writing to the given streams; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        dev.vessel.runtime.Trace.mark("execute");
        CommandLine commandLine = commandLine(args);
        dev.vessel.runtime.Trace.mark("command line built");
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
        skipUnusedConverters();
        String verb = verbOf(args);
        boolean versionOnly = verb == null && isVersionRequest(args);
        CommandLine commandLine = new CommandLine(rootSpec());
        if (verb == null && !versionOnly) {
            commandLine.addSubcommand("help", new CommandLine(HelpVerb.spec()));
        } else if ("__train".equals(verb)) {
            // nothing else: the training run's own classes would go into the cache it records
            commandLine.addSubcommand(new TrainingCommand());
            return finish(commandLine);
        }
        for (VerbGroup group : verbGroups()) {
            if (verb != null) {
                CommandLine.Model.CommandSpec command = group.codedCommand(verb);
                if (command != null) {
                    commandLine.addSubcommand(verb, new CommandLine(command));
                }
            } else if (!versionOnly) {
                for (String name : group.codedVerbs()) {
                    commandLine.addSubcommand(name, new CommandLine(group.codedCommand(name)));
                }
            }
        }
        for (VerbGroup group : verbGroups()) {
            group.configure(commandLine, args);
        }
        return finish(commandLine);
    }

    /**
     * Every CommandLine looks up picocli's java.sql, java.time and Path converters by reflection,
     * and converting through them makes the JDK generate a method accessor class (about 15 ms of
     * a fresh JVM for --root). No option of Vessel's has the first types; Path gets a plain converter
     * in {@link #finish}. picocli matches each of those ~20 class names against the property as a
     * regular expression, compiled each time: "java.*" covers them all and compiles fastest.
     */
    private static void skipUnusedConverters() {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", "java.*");
        }
    }

    private static CommandLine finish(CommandLine commandLine) {
        addHelpOption(commandLine);
        // reaches every subcommand added so far: all of them
        commandLine.registerConverter(Path.class, Path::of);
        // Handlers reach only the subcommands present when they are set: set them last.
        commandLine.setExecutionExceptionHandler(Vessel::reportFailure);
        commandLine.setParameterExceptionHandler(Vessel::reportUsageError);
        return commandLine;
    }

    /** The model of `vessel` itself: --root, --help and --version; it prints its usage when no verb is given. */
    private static CommandLine.Model.CommandSpec rootSpec() {
        Vessel vessel = new Vessel();
        SpecBuilder root = SpecBuilder.command(vessel, "vessel", "Containers and virtual machines: one tool, one store.");
        root.option(Path.class, v -> vessel.root = v,
                "State directory (default: $VESSEL_ROOT, else " + DEFAULT_ROOT + ").", "--root").label("DIR");
        root.standardHelp(new Version());
        CommandLine.Model.CommandSpec spec = root.spec();
        vessel.spec = spec;
        return spec;
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

    /** Every verb of a group (each name and alias), for bin/build's choice of AOT cache. */
    static List<String> verbs(VerbGroup group) {
        return group.codedVerbs();
    }

    /** Runs the preloads one after another, on one thread: they only get ahead of the main thread. */
    private record Preloads(List<Runnable> steps) implements Runnable {
        @Override
        public void run() {
            for (Runnable step : steps) {
                step.run();
            }
        }
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
