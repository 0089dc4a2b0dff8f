package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `vessel vm`: virtual machines run by QEMU. Its model and its verbs' are declared in code
 * ({@link SpecBuilder}: annotations make the JDK generate a proxy class per annotation type).
 * {@link VmVerbs#configure} adds only the verb being run.
 */
public final class VmCommand implements Runnable {
    /** The verbs declared in code, by every name they answer to, in help's order. */
    static final Map<String, Supplier<CommandSpec>> CODED = coded();
    /** The verbs that are groups of their own verbs, by name, each made with its verbs. */
    static final Map<String, Supplier<CommandLine>> GROUPS = groups();

    private CommandSpec spec;

    private VmCommand() {
    }

    private static Map<String, Supplier<CommandSpec>> coded() {
        Map<String, Supplier<CommandSpec>> byName = new LinkedHashMap<>();
        byName.put("create", VmCreate::spec);
        byName.put("start", VmStart::spec);
        byName.put("stop", VmStop::spec);
        byName.put("pause", VmPause::spec);
        byName.put("resume", VmResume::spec);
        byName.put("restart", VmRestart::spec);
        byName.put("rm", VmRemove::spec);
        byName.put("ls", VmList::spec);
        byName.put("list", VmList::spec);
        byName.put("ps", VmList::spec);
        byName.put("inspect", VmInspect::spec);
        byName.put("console", VmConsole::spec);
        byName.put("logs", VmLogs::spec);
        byName.put("clone", VmClone::spec);
        return byName;
    }

    private static Map<String, Supplier<CommandLine>> groups() {
        Map<String, Supplier<CommandLine>> byName = new LinkedHashMap<>();
        byName.put("template", VmTemplateCommand::commandLine);
        byName.put("snapshot", VmSnapshotCommand::commandLine);
        return byName;
    }

    /** A fresh model of `vm` (its verbs are added by {@link VmVerbs#configure}). */
    static CommandSpec spec() {
        VmCommand command = new VmCommand();
        SpecBuilder spec = SpecBuilder.command(command, "vm", "Manage virtual machines (QEMU, KVM or TCG).");
        spec.standardHelp();
        command.spec = spec.spec();
        return spec.spec();
    }

    /** Adds the verb named (after `vm`), or every verb when it is none of them. */
    static void addVerbs(CommandLine vm, String named) {
        Supplier<CommandSpec> coded = named == null ? null : CODED.get(named);
        Supplier<CommandLine> group = named == null ? null : GROUPS.get(named);
        if (coded != null) {
            CommandSpec model = coded.get();
            vm.addSubcommand(model.name(), new CommandLine(model));
            return;
        }
        if (group != null) {
            vm.addSubcommand(named, group.get());
            return;
        }
        CODED.forEach((name, model) -> {
            if (!vm.getSubcommands().containsKey(name)) {
                CommandSpec made = model.get();
                vm.addSubcommand(made.name(), new CommandLine(made));
            }
        });
        GROUPS.forEach((name, made) -> vm.addSubcommand(name, made.get()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
