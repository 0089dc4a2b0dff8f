package dev.vessel.vm;

import java.util.List;

/**
 * What a VM is, fixed at create time (ROOT/vms/NAME/config.json).
 *
 * @param disks      in guest order (the first is /dev/vda); paths are absolute
 * @param template   the template the first disk was made from, or null
 * @param kernel     a kernel given with --kernel, or null for Vessel's default guest kernel
 * @param cdrom      an ISO attached as a CD-ROM (booted from when there is no kernel), or null
 * @param nic        "none" or "user"
 */
public record VmConfig(
        String name,
        int cpus,
        long memoryMiB,
        List<VmDisk> disks,
        String template,
        String kernel,
        String initrd,
        String append,
        String cdrom,
        String nic,
        String createdAt) {

    /** One disk of a VM. owned: Vessel made it in the VM's directory (removed with the VM). */
    public record VmDisk(String path, String format, boolean owned) {
    }
}
