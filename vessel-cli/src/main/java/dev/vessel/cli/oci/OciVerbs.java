package dev.vessel.cli.oci;

import dev.vessel.cli.VerbGroup;
import dev.vessel.os.json.PlainJson;
import dev.vessel.runtime.spec.DefaultSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/** The verbs for the OCI runtime (vessel oci ...). */
public final class OciVerbs implements VerbGroup {
    @Override
    public Runnable preload(String verb) {
        return verb.equals("oci") ? dev.vessel.runtime.ClassPreload.forContainers() : null;
    }

    @Override
    public List<String> codedVerbs() {
        return List.of("oci");
    }

    @Override
    public CommandLine.Model.CommandSpec codedCommand(String verb) {
        return verb.equals("oci") ? OciCommand.spec() : null;
    }

    /**
     * The verbs of `oci` besides the lifecycle ones ({@link OciLifecycle}), by every name they answer
     * to; each model is declared in code (annotations would make the JDK generate proxy classes).
     */
    static final Map<String, Function<OciCommand, CommandLine.Model.CommandSpec>> OTHERS = others();

    private static Map<String, Function<OciCommand, CommandLine.Model.CommandSpec>> others() {
        Map<String, Function<OciCommand, CommandLine.Model.CommandSpec>> byName = new LinkedHashMap<>();
        byName.put("spec", OciSubcommands.SpecCmd::spec);
        byName.put("list", OciSubcommands.ListCmd::spec);
        byName.put("ls", OciSubcommands.ListCmd::spec);
        byName.put("ps", OciSubcommands.Ps::spec);
        byName.put("pause", OciSubcommands.Pause::spec);
        byName.put("resume", OciSubcommands.Resume::spec);
        byName.put("update", OciSubcommands.Update::spec);
        byName.put("exec", OciSubcommands.Exec::spec);
        byName.put("__train", OciSubcommands.Train::spec);
        return byName;
    }

    /** The global flags of `oci` that take a value (to find its verb on the command line). */
    private static final List<String> VALUED = List.of("--root", "--log", "--log-format", "--cgroup-root");

    /**
     * Adds to `oci` the verb named on the command line, or every verb when none of them is named
     * (for help and error messages).
     */
    @Override
    public void configure(CommandLine vessel, String[] args) {
        CommandLine oci = vessel.getSubcommands().get("oci");
        if (oci == null) {
            return;
        }
        String verb = ociVerb(args);
        OciCommand parent = (OciCommand) oci.getCommandSpec().userObject();
        Function<OciCommand, CommandLine.Model.CommandSpec> other = verb == null ? null : OTHERS.get(verb);
        if (other != null) {
            CommandLine.Model.CommandSpec spec = other.apply(parent);
            oci.addSubcommand(spec.name(), new CommandLine(spec));
            return;
        }
        OciLifecycle.addTo(oci, parent, verb);
        if (verb == null || !oci.getSubcommands().containsKey(verb)) {
            OTHERS.forEach((name, spec) -> {
                if (!name.equals("ls")) {
                    CommandLine.Model.CommandSpec model = spec.apply(parent);
                    oci.addSubcommand(model.name(), new CommandLine(model));
                }
            });
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

    /**
     * A real `oci run` of a bundle whose /true is an empty executable file: the run goes through
     * its whole start (cgroups and their device rules, the helper, the mounts) and fails only at
     * the exec, so that the AOT cache holds what a run links (string concatenations among them).
     */
    @Override
    public List<List<String>> trainingLines(Path scratch) throws IOException {
        Path bundle = scratch.resolve("oci-bundle");
        Path program = Files.createDirectories(bundle.resolve("rootfs")).resolve("true");
        Files.write(program, new byte[0]);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) PlainJson.parse(DefaultSpec.json());
        @SuppressWarnings("unchecked")
        Map<String, Object> process = (Map<String, Object>) config.get("process");
        process.put("terminal", false);
        process.put("args", List.of("/true"));
        Files.write(bundle.resolve("config.json"), PlainJson.write(config, true));
        String state = scratch.resolve("oci-state").toString();
        return List.of(List.of("oci", "--root", state, "run", "--bundle", bundle.toString(), "training"),
                List.of("oci", "--root", state, "delete", "--force", "training"));
    }
}
