package dev.vessel.vm;

import java.util.List;

/**
 * What `vessel vm create` asks for.
 *
 * @param disks  each a file to use in place or a size for a new empty qcow2 (e.g. "10G")
 * @param memory a size (plain numbers are MiB)
 */
public record CreateRequest(String name, int cpus, String memory, List<String> disks, String template,
        String kernel, String initrd, String append, String cdrom, String nic) {
}
