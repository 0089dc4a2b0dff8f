package dev.vessel.cli.vm;

import picocli.CommandLine.Command;

/** `vessel vm`: virtual machines run by QEMU. */
@Command(name = "vm", description = "Manage virtual machines (QEMU, KVM or TCG).",
        mixinStandardHelpOptions = true,
        subcommands = {
            VmCreate.class, VmStart.class, VmStop.class, VmPause.class, VmResume.class, VmRestart.class,
            VmRemove.class, VmList.class, VmInspect.class, VmConsole.class, VmLogs.class,
            VmTemplateCommand.class, VmClone.class, VmSnapshotCommand.class,
        })
public final class VmCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
