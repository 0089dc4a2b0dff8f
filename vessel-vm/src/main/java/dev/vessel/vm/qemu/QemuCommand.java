package dev.vessel.vm.qemu;

import dev.vessel.vm.VmConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's command line for a VM. Machine "pc" with the kernel booted through PVH (an ELF
 * vmlinux): no firmware disk probing and no in-guest decompression, so boots are as short as
 * microvm's while keeping ACPI power-down, PCI virtio and savevm support. Disks are named
 * block nodes (disk0, disk1, ...) so QMP snapshot jobs can address them.
 */
public final class QemuCommand {
    private QemuCommand() {
    }

    public static List<String> build(String qemu, VmConfig config, String accelerator, RunFiles files,
            String kernel, String initrd, String append) {
        List<String> args = new ArrayList<>();
        args.add(qemu);
        args.addAll(List.of("-name", "vessel-" + config.name()));
        args.addAll(List.of("-M", "pc"));
        if (accelerator.equals("kvm")) {
            args.addAll(List.of("-accel", "kvm", "-cpu", "host"));
        } else {
            // A bounded translation cache keeps QEMU's own memory near the cgroup limit.
            args.addAll(List.of("-accel", "tcg,tb-size=128", "-cpu", "max"));
        }
        args.addAll(List.of("-smp", Integer.toString(config.cpus()), "-m", config.memoryMiB() + "M"));
        // -no-reboot: a guest reboot or panic ends QEMU, so the VM shows as stopped with its exit.
        args.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
        args.addAll(List.of("-pidfile", files.pidFile().toString()));
        args.addAll(List.of("-qmp", "unix:" + files.qmpSocket() + ",server=on,wait=off"));
        args.addAll(List.of("-chardev", "socket,id=console,path=" + files.consoleSocket()
                + ",server=on,wait=off,logfile=" + files.consoleLog() + ",logappend=on"));
        args.addAll(List.of("-serial", "chardev:console"));
        List<VmConfig.VmDisk> disks = config.disks();
        for (int i = 0; i < disks.size(); i++) {
            VmConfig.VmDisk disk = disks.get(i);
            String node = "disk" + i;
            args.addAll(List.of("-blockdev", "driver=file,node-name=" + node + "-file,filename=" + escape(disk.path())));
            args.addAll(List.of("-blockdev", "driver=" + disk.format() + ",node-name=" + node + ",file=" + node + "-file"));
            String device = "virtio-blk-pci,drive=" + node + ",id=vd" + i;
            if (kernel == null && i == 0 && config.cdrom() == null) {
                device += ",bootindex=1";
            }
            args.addAll(List.of("-device", device));
        }
        if (config.cdrom() != null) {
            args.addAll(List.of("-drive", "file=" + escape(config.cdrom()) + ",media=cdrom,if=ide,readonly=on"));
            if (kernel == null) {
                args.addAll(List.of("-boot", "d"));
            }
        }
        if ("user".equals(config.nic())) {
            args.addAll(List.of("-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0"));
        }
        if (kernel != null) {
            args.addAll(List.of("-kernel", kernel));
            if (initrd != null) {
                args.addAll(List.of("-initrd", initrd));
            }
            args.addAll(List.of("-append", append));
        }
        return args;
    }

    // QEMU option values separate fields with ','; a literal comma is written twice.
    private static String escape(String value) {
        return value.replace(",", ",,");
    }
}
