package dev.vessel.vm;

import dev.vessel.os.Timestamps;
import dev.vessel.vm.store.JsonFiles;
import dev.vessel.vm.store.VmStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Templates and linked clones. A template is a read-only base disk in
 * ROOT/vm-templates/NAME/base.qcow2; VMs made from it get a differencing disk over it.
 * Cloning a stopped VM freezes its current disk as a shared read-only layer in
 * ROOT/vm-layers and gives both VMs a fresh differencing disk over that layer; layers no VM
 * or template reaches any more are removed.
 */
public final class Templates {
    private final Path templates;
    private final Path layers;
    private final DiskEngine disks;
    private final VmManager vms;

    Templates(Path root, DiskEngine disks, VmManager vms) {
        this.templates = root.resolve("vm-templates");
        this.layers = root.resolve("vm-layers");
        this.disks = disks;
        this.vms = vms;
    }

    /** template.json */
    public record Template(String name, String base, String source, String createdAt, long sizeBytes) {
    }

    public Path base(String name) {
        Path base = templates.resolve(name).resolve("base.qcow2");
        if (!Files.isRegularFile(templates.resolve(name).resolve("template.json")) || !Files.isRegularFile(base)) {
            throw new VmException("no such template: " + name);
        }
        return base;
    }

    public Template get(String name) {
        base(name);
        try {
            return JsonFiles.read(templates.resolve(name).resolve("template.json"), Template.class);
        } catch (IOException e) {
            throw new VmException("cannot read template " + name + ": " + e.getMessage(), e);
        }
    }

    public List<Template> list() throws IOException {
        List<Template> list = new ArrayList<>();
        if (!Files.isDirectory(templates)) {
            return list;
        }
        try (Stream<Path> dirs = Files.list(templates)) {
            for (Path dir : dirs.sorted().toList()) {
                if (Files.isRegularFile(dir.resolve("template.json"))) {
                    list.add(JsonFiles.read(dir.resolve("template.json"), Template.class));
                }
            }
        }
        return list;
    }

    /** A template whose base is a qcow2 copy of the given disk (any format the disk engine reads). */
    public Template createFromDisk(String name, Path disk) throws IOException {
        VmStore.checkName(name);
        Path source = disk.toAbsolutePath();
        if (!Files.isRegularFile(source)) {
            throw new VmException("disk " + source + " does not exist");
        }
        disks.format(source);
        return create(name, source, "disk " + source);
    }

    /** A template made from a stopped VM's first disk (its whole chain flattened). */
    public Template createFromVm(String name, String vm) throws IOException {
        VmStore.checkName(name);
        try (VmStore.Lock ignored = vms.store().lock(vm)) {
            VmState state = vms.reconcile(vm);
            if (state.active()) {
                throw new VmException("VM " + vm + " is " + state.status() + ": stop it before making a template of it");
            }
            VmConfig config = vms.store().config(vm);
            if (config.disks().isEmpty()) {
                throw new VmException("VM " + vm + " has no disk to make a template of");
            }
            return create(name, Path.of(config.disks().get(0).path()), "vm " + vm);
        }
    }

    private Template create(String name, Path source, String what) throws IOException {
        Path dir = templates.resolve(name);
        if (Files.exists(dir)) {
            throw new VmException("a template named " + name + " already exists");
        }
        Files.createDirectories(templates);
        Path staged = Files.createTempDirectory(templates, ".new-" + name + "-");
        try {
            Path base = staged.resolve("base.qcow2");
            disks.convertToQcow2(source, base);
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("r--r--r--"));
            Template template = new Template(name, dir.resolve("base.qcow2").toString(), what,
                    Timestamps.now(), Files.size(base));
            JsonFiles.write(staged.resolve("template.json"), template);
            try {
                Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                throw new VmException("a template named " + name + " already exists");
            }
            return template;
        } finally {
            VmStore.deleteTree(staged);
        }
    }

    /** Removes a template; refused while any VM still uses it. */
    public void remove(String name) throws IOException {
        Path base = base(name);
        List<String> users = new ArrayList<>();
        for (String vm : vms.names()) {
            VmConfig config = vms.store().config(vm);
            if (name.equals(config.template()) || chainReaches(config, base)) {
                users.add(vm);
            }
        }
        if (!users.isEmpty()) {
            throw new VmException("template " + name + " is in use by VM" + (users.size() > 1 ? "s " : " ")
                    + String.join(", ", users) + ": remove them first");
        }
        Path dir = templates.resolve(name);
        Path trash = templates.resolve(".rm-" + name + "-" + System.nanoTime());
        Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        VmStore.deleteTree(trash);
    }

    /** A linked clone of a stopped VM: both continue from a frozen shared layer. */
    public VmConfig clone(String source, String target) throws IOException {
        VmStore.checkName(target);
        if (vms.store().exists(target)) {
            throw new VmException("a VM named " + target + " already exists");
        }
        try (VmStore.Lock ignored = vms.store().lock(source)) {
            VmState state = vms.reconcile(source);
            if (state.active()) {
                throw new VmException("VM " + source + " is " + state.status() + ": stop it before cloning");
            }
            VmConfig config = vms.store().config(source);
            for (VmConfig.VmDisk disk : config.disks()) {
                if (!disk.owned()) {
                    throw new VmException("disk " + disk.path() + " of " + source
                            + " was given with --disk FILE, not made by Vessel: only Vessel-made disks can be cloned");
                }
            }
            Files.createDirectories(layers);
            Path staged = vms.store().stage(target);
            Path targetDir = vms.store().directory(target);
            try {
                List<VmConfig.VmDisk> sourceDisks = new ArrayList<>();
                List<VmConfig.VmDisk> targetDisks = new ArrayList<>();
                List<Runnable> undo = new ArrayList<>();
                try {
                    for (int i = 0; i < config.disks().size(); i++) {
                        Path current = Path.of(config.disks().get(i).path());
                        Path layer = layers.resolve(source + "-disk" + i + "-" + System.nanoTime() + ".qcow2");
                        Files.move(current, layer, StandardCopyOption.ATOMIC_MOVE);
                        undo.add(() -> moveBack(layer, current));
                        disks.createOverlay(current, layer);
                        Files.setPosixFilePermissions(layer, PosixFilePermissions.fromString("r--r--r--"));
                        String file = current.getFileName().toString();
                        disks.createOverlay(staged.resolve(file), layer);
                        sourceDisks.add(config.disks().get(i));
                        targetDisks.add(new VmConfig.VmDisk(targetDir.resolve(file).toString(), "qcow2", true));
                    }
                } catch (IOException | RuntimeException e) {
                    for (int i = undo.size() - 1; i >= 0; i--) {
                        undo.get(i).run();
                    }
                    throw e;
                }
                VmConfig cloned = new VmConfig(target, config.cpus(), config.memoryMiB(), targetDisks,
                        config.template(), config.kernel(), config.initrd(), config.append(), config.cdrom(),
                        config.nic(), Timestamps.now());
                vms.store().publish(staged, target, cloned, VmState.created());
                return cloned;
            } finally {
                VmStore.deleteTree(staged);
            }
        }
    }

    private static void moveBack(Path layer, Path current) {
        try {
            Files.deleteIfExists(current);
            Files.setPosixFilePermissions(layer, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(layer, current, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // best effort: the layer keeps the data either way
        }
    }

    /** Deletes frozen layers that no VM's disk chain reaches any more. */
    public void collectLayers() throws IOException {
        if (!Files.isDirectory(layers)) {
            return;
        }
        Set<Path> reachable = new HashSet<>();
        for (String vm : vms.names()) {
            for (VmConfig.VmDisk disk : vms.store().config(vm).disks()) {
                Path p = Path.of(disk.path());
                int depth = 0;
                while (p != null && depth++ < 64 && Files.isRegularFile(p)) {
                    reachable.add(p.toAbsolutePath().normalize());
                    p = backing(p);
                }
            }
        }
        try (Stream<Path> files = Files.list(layers)) {
            for (Path layer : files.toList()) {
                if (!reachable.contains(layer.toAbsolutePath().normalize())) {
                    Files.deleteIfExists(layer);
                }
            }
        }
    }

    private boolean chainReaches(VmConfig config, Path base) {
        for (VmConfig.VmDisk disk : config.disks()) {
            Path p = Path.of(disk.path());
            int depth = 0;
            while (p != null && depth++ < 64 && Files.isRegularFile(p)) {
                try {
                    if (Files.isSameFile(p, base)) {
                        return true;
                    }
                } catch (IOException ignored) {
                    return false;
                }
                p = backing(p);
            }
        }
        return false;
    }

    private Path backing(Path disk) {
        try {
            Path b = disks.backingFile(disk);
            return b == null ? null : disk.resolveSibling(b.toString()).toAbsolutePath().normalize();
        } catch (IOException e) {
            return null;
        }
    }
}
