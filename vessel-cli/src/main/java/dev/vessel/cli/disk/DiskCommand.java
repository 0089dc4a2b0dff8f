package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `vessel disk`: qemu-img style commands over the vessel-disk library. Its model and its verbs' are
 * declared in code ({@link SpecBuilder}: annotations would make the JDK generate a proxy class for
 * each annotation type, ~50 ms of every disk command); {@link DiskVerbs#configure} adds only the
 * verb being run.
 */
public final class DiskCommand implements Runnable {
    /** Each verb's model, by its name, in help's order. */
    static final Map<String, Supplier<CommandSpec>> SUBCOMMANDS = subcommands();

    private CommandSpec spec;

    private DiskCommand() {
    }

    private static Map<String, Supplier<CommandSpec>> subcommands() {
        Map<String, Supplier<CommandSpec>> byName = new LinkedHashMap<>();
        byName.put("create", DiskCreate::spec);
        byName.put("info", DiskInfo::spec);
        byName.put("clone", DiskClone::spec);
        byName.put("snapshot", DiskSnapshot::spec);
        byName.put("commit", DiskCommit::spec);
        byName.put("rebase", DiskRebase::spec);
        byName.put("convert", DiskConvert::spec);
        byName.put("check", DiskCheck::spec);
        byName.put("compare", DiskCompare::spec);
        byName.put("map", DiskMap::spec);
        byName.put("resize", DiskResize::spec);
        byName.put("read", DiskRead::spec);
        byName.put("write", DiskWrite::spec);
        byName.put("io", DiskIo::spec);
        byName.put("__train", DiskTrain::spec);
        return byName;
    }

    /** A fresh model of `disk` (its verbs are added by {@link DiskVerbs#configure}). */
    static CommandSpec spec() {
        DiskCommand command = new DiskCommand();
        SpecBuilder spec = SpecBuilder.command(command, "disk", "Create and manage virtual disk images (qcow2, raw, VHD).");
        spec.standardHelp();
        command.spec = spec.spec();
        return spec.spec();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
