package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * `vessel disk`: qemu-img style commands over the vessel-disk library. The subcommands are added by
 * {@link DiskVerbs#configure}: only the one being run, as building all of them costs start-up time.
 */
@Command(name = "disk", description = "Create and manage virtual disk images (qcow2, raw, VHD).",
        mixinStandardHelpOptions = true)
public final class DiskCommand extends VesselCommand {
    /** By the name each one's @Command gives it (VerbNamesTest keeps them equal), in help's order. */
    static final Map<String, Class<?>> SUBCOMMANDS = dev.vessel.cli.VerbGroup.inOrder(
            "create", DiskCreate.class, "info", DiskInfo.class, "clone", DiskClone.class, "snapshot", DiskSnapshot.class,
            "commit", DiskCommit.class, "rebase", DiskRebase.class, "convert", DiskConvert.class, "check", DiskCheck.class,
            "compare", DiskCompare.class, "map", DiskMap.class, "resize", DiskResize.class, "read", DiskRead.class,
            "write", DiskWrite.class, "io", DiskIo.class, "__train", DiskTrain.class);

    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return 0;
    }
}
