package dev.vessel.cli.oci;

import dev.vessel.cli.VerbGroup;
import java.util.List;
import picocli.CommandLine;

/** The verbs for the OCI runtime (vessel oci ...). */
public final class OciVerbs implements VerbGroup {
    @Override
    public Runnable preload(String verb) {
        return verb.equals("oci") ? dev.vessel.runtime.ClassPreload.forContainers() : null;
    }

    /** `oci` is declared in code; its other verbs are added in {@link #configure}. */
    @Override
    public List<Class<?>> commands() {
        return List.of();
    }

    @Override
    public List<String> codedVerbs() {
        return List.of("oci");
    }

    @Override
    public CommandLine.Model.CommandSpec codedCommand(String verb) {
        return verb.equals("oci") ? OciCommand.spec() : null;
    }

    /** The annotated verbs of `oci`, by name. */
    private static final List<Class<?>> ANNOTATED = List.of(OciSubcommands.SpecCmd.class, OciSubcommands.ListCmd.class,
            OciSubcommands.Ps.class, OciSubcommands.Pause.class, OciSubcommands.Resume.class,
            OciSubcommands.Update.class, OciSubcommands.Exec.class, OciSubcommands.Train.class);

    /** The global flags of `oci` that take a value (to find its verb on the command line). */
    private static final List<String> VALUED = List.of("--root", "--log", "--log-format", "--cgroup-root");

    /**
     * Adds the lifecycle verbs (declared in code) to `oci`, and the annotated one named on the
     * command line, or all of them when none of them is named (for help and error messages).
     */
    @Override
    public void configure(CommandLine vessel, String[] args) {
        CommandLine oci = vessel.getSubcommands().get("oci");
        if (oci == null) {
            return;
        }
        OciLifecycle.addTo(oci, (OciCommand) oci.getCommandSpec().userObject());
        String verb = ociVerb(args);
        boolean named = false;
        for (Class<?> command : ANNOTATED) {
            CommandLine.Command annotation = command.getAnnotation(CommandLine.Command.class);
            if (verb != null && (annotation.name().equals(verb) || List.of(annotation.aliases()).contains(verb))) {
                oci.addSubcommand(command);
                named = true;
            }
        }
        if (!named && (verb == null || !oci.getSubcommands().containsKey(verb))) {
            ANNOTATED.forEach(oci::addSubcommand);
        }
    }

    /** The first argument after `oci` that is neither one of its flags nor a flag's value. */
    private static String ociVerb(String[] args) {
        int i = 0;
        while (i < args.length && !args[i].equals("oci")) {
            i++;
        }
        for (i++; i < args.length; i++) {
            if (VALUED.contains(args[i])) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    @Override
    public List<List<String>> trainingLines() {
        // Against an empty state root: the parsing, state and error paths of the common verbs.
        return List.of(
                List.of("oci", "--help"),
                List.of("oci", "__train"),
                List.of("oci", "spec", "--bundle", "/nonexistent-vessel-training"),
                List.of("oci", "list"),
                List.of("oci", "state", "no-such-container"),
                List.of("oci", "run", "--bundle", "/nonexistent-vessel-training", "training"),
                List.of("oci", "delete", "--force", "no-such-container"));
    }
}
