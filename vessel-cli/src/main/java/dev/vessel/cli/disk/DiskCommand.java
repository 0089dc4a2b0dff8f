package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * `vessel disk`: qemu-img style commands over the vessel-disk library. The subcommands are added by
 * {@link DiskVerbs#configure}: only the one being run, as building all of them costs start-up time.
 */
@Command(name = "disk", description = "Create and manage virtual disk images (qcow2, raw, VHD).",
        mixinStandardHelpOptions = true)
public final class DiskCommand extends VesselCommand {
    static final List<Class<?>> SUBCOMMANDS = List.of(
            DiskCreate.class, DiskInfo.class, DiskClone.class, DiskSnapshot.class, DiskCommit.class,
            DiskRebase.class, DiskConvert.class, DiskCheck.class, DiskCompare.class, DiskMap.class,
            DiskResize.class, DiskRead.class, DiskWrite.class, DiskIo.class, DiskTrain.class);

    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return 0;
    }
}
