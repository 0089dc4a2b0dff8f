package dev.vessel.vm.store;

import dev.vessel.vm.VmConfig;
import dev.vessel.vm.VmException;
import dev.vessel.vm.VmState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * VMs on disk: ROOT/vms/NAME holds config.json, state.json, the lock file, Vessel-made disks
 * and the run files (QMP and console sockets, console log, pid file, QEMU's stderr and exit
 * status). A VM appears atomically (its directory is built aside and renamed into place) and
 * disappears atomically (renamed aside, then deleted). Mutations hold the VM's lock.
 */
public final class VmStore {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

    private final Path vms;

    public VmStore(Path root) {
        this.vms = root.resolve("vms");
    }

    public static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new VmException("invalid VM name '" + name + "': use letters, digits, '_', '.', '-' (at most 63)");
        }
    }

    public Path directory(String name) {
        return vms.resolve(name);
    }

    public boolean exists(String name) {
        return Files.isRegularFile(vms.resolve(name).resolve("config.json"));
    }

    /** A fresh staging directory for a VM being created; {@link #publish} moves it into place. */
    public Path stage(String name) throws IOException {
        Files.createDirectories(vms);
        return Files.createTempDirectory(vms, ".new-" + name + "-");
    }

    /** Makes a staged VM visible under its name; fails if the name was taken meanwhile. */
    public void publish(Path staged, String name, VmConfig config, VmState state) throws IOException {
        JsonFiles.write(staged.resolve("config.json"), config);
        JsonFiles.write(staged.resolve("state.json"), state);
        Path target = vms.resolve(name);
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            throw new VmException("a VM named " + name + " already exists");
        }
        JsonFiles.syncDirectory(vms);
    }

    public VmConfig config(String name) {
        try {
            return JsonFiles.read(vms.resolve(name).resolve("config.json"), VmConfig.class);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new VmException("no such VM: " + name);
        } catch (IOException e) {
            throw new VmException("cannot read VM " + name + ": " + e.getMessage(), e);
        }
    }

    public void writeConfig(VmConfig config) throws IOException {
        JsonFiles.write(vms.resolve(config.name()).resolve("config.json"), config);
    }

    public VmState state(String name) {
        Path file = vms.resolve(name).resolve("state.json");
        try {
            return JsonFiles.read(file, VmState.class);
        } catch (IOException e) {
            if (!exists(name)) {
                throw new VmException("no such VM: " + name);
            }
            return VmState.created();
        }
    }

    public void writeState(String name, VmState state) throws IOException {
        JsonFiles.write(vms.resolve(name).resolve("state.json"), state);
    }

    public List<String> names() throws IOException {
        if (!Files.isDirectory(vms)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(vms)) {
            dirs.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).filter(this::exists)
                    .sorted().forEach(names::add);
        }
        return names;
    }

    /** Holds the VM's lock (across processes) until closed. */
    public Lock lock(String name) {
        Path dir = vms.resolve(name);
        if (!exists(name)) {
            throw new VmException("no such VM: " + name);
        }
        try {
            FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Lock(channel, channel.lock());
        } catch (IOException e) {
            throw new VmException("cannot lock VM " + name + ": " + e.getMessage(), e);
        }
    }

    /** Removes a VM's directory: renamed aside first so a crash never leaves half a VM visible. */
    public void delete(String name) throws IOException {
        Path dir = vms.resolve(name);
        Path trash = vms.resolve(".rm-" + name + "-" + System.nanoTime());
        Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(trash);
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The VM's lock; release by closing. */
    public record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing releases the lock
            }
        }
    }
}
