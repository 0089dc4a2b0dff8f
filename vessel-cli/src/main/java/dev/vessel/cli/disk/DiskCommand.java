package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import picocli.CommandLine.Command;

/** `vessel disk`: qemu-img style commands over the vessel-disk library. */
@Command(name = "disk", description = "Create and manage virtual disk images (qcow2, raw, VHD).",
        mixinStandardHelpOptions = true,
        subcommands = {
            DiskCreate.class, DiskInfo.class, DiskClone.class, DiskSnapshot.class, DiskCommit.class,
            DiskRebase.class, DiskConvert.class, DiskCheck.class, DiskCompare.class, DiskMap.class,
            DiskResize.class, DiskRead.class, DiskWrite.class, DiskIo.class,
        })
public final class DiskCommand extends VesselCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return 0;
    }
}
