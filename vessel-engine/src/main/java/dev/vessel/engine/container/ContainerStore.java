package dev.vessel.engine.container;

import dev.vessel.os.AtomicFiles;
import dev.vessel.os.StoreLock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The containers under {@code ROOT/containers}: one directory per container holding its record
 * (replaced atomically), bundle, writable layer and log. Writers take one lock, so names stay
 * unique across concurrent vessel processes; readers take none.
 */
public final class ContainerStore {
    private static final String RECORD = "container.json";

    private final Path dir;

    public ContainerStore(Path root) {
        this.dir = root.resolve("containers");
    }

    public Path directory(String id) {
        return dir.resolve(id);
    }

    /** Holds the writers' lock for a read-modify-write sequence. */
    public StoreLock lock() throws IOException {
        return StoreLock.acquire(dir.resolve("lock"));
    }

    /** Adds a new container, refusing a name already in use. */
    public void create(ContainerRecord record) throws IOException {
        ContainerIds.checkName(record.name());
        try (StoreLock ignored = lock()) {
            checkNameFree(record.name(), record.id());
            Files.createDirectories(directory(record.id()));
            write(record);
        }
    }

    /**
     * Adds a new container under a generated name (Docker's adjective_scientist) that no other
     * container has: chosen under the writers' lock, so two commands never pick the same one, with
     * one reading of the records.
     */
    public ContainerRecord createWithGeneratedName(ContainerRecord record) throws IOException {
        try (StoreLock ignored = lock()) {
            Set<String> taken = new HashSet<>();
            for (ContainerRecord other : list()) {
                taken.add(other.name());
            }
            String name = ContainerIds.newName();
            for (int attempt = 0; attempt < 100 && taken.contains(name); attempt++) {
                name = ContainerIds.newName();
            }
            if (taken.contains(name)) {
                name = name + "_" + ContainerIds.newId().substring(0, 6);
            }
            ContainerRecord named = record.withName(name);
            Files.createDirectories(directory(named.id()));
            write(named);
            return named;
        }
    }

    /** Replaces a container's record with what {@code change} makes of the current one, under the lock. */
    public ContainerRecord update(String id, UnaryOperator<ContainerRecord> change) throws IOException {
        try (StoreLock ignored = lock()) {
            ContainerRecord updated = change.apply(read(id));
            write(updated);
            return updated;
        }
    }

    public void rename(String id, String newName) throws IOException {
        ContainerIds.checkName(newName);
        try (StoreLock ignored = lock()) {
            checkNameFree(newName, id);
            write(read(id).withName(newName));
        }
    }

    public void remove(String id) throws IOException {
        try (StoreLock ignored = lock()) {
            Path containerDir = directory(id);
            // Renamed away first, so a crash mid-delete never leaves a half-removed container listed.
            Path doomed = dir.resolve(".removing-" + id);
            if (Files.exists(containerDir)) {
                Files.move(containerDir, doomed);
            }
            AtomicFiles.deleteTree(doomed);
        }
    }

    public ContainerRecord read(String id) throws IOException {
        try {
            return ContainerRecordJson.read(Files.readAllBytes(directory(id).resolve(RECORD)));
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new ContainerNotFoundException(id);
        }
    }

    /** Every container, newest first; directories without a readable record are skipped. */
    public List<ContainerRecord> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ContainerRecord> records = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (ContainerIds.isId(name) && Files.isRegularFile(entry.resolve(RECORD))) {
                    try {
                        records.add(read(name));
                    } catch (IOException unreadable) {
                        // A record is written atomically, so this is a container being removed right now.
                    }
                }
            }
        }
        records.sort((a, b) -> b.created().compareTo(a.created())); // newest first
        return records;
    }

    /** Finds a container by full ID, name, or unique ID prefix, as Docker does. */
    public ContainerRecord resolve(String nameOrId) throws IOException {
        String wanted = nameOrId.startsWith("/") ? nameOrId.substring(1) : nameOrId;
        List<ContainerRecord> all = list();
        for (ContainerRecord record : all) {
            if (record.id().equals(wanted) || record.name().equals(wanted)) {
                return record;
            }
        }
        List<ContainerRecord> byPrefix = wanted.isEmpty() ? List.of()
                : all.stream().filter(r -> r.id().startsWith(wanted)).toList();
        if (byPrefix.size() > 1) {
            throw new IllegalArgumentException("multiple containers match '" + nameOrId + "': use more of the ID");
        }
        if (byPrefix.isEmpty()) {
            throw new ContainerNotFoundException(nameOrId);
        }
        return byPrefix.get(0);
    }

    private void checkNameFree(String name, String id) throws IOException {
        for (ContainerRecord other : list()) {
            if (other.name().equals(name) && !other.id().equals(id)) {
                throw new IllegalArgumentException("Conflict. The container name \"/" + name
                        + "\" is already in use by container \"" + other.id()
                        + "\". You have to remove (or rename) that container to be able to reuse that name.");
            }
        }
    }

    private void write(ContainerRecord record) throws IOException {
        AtomicFiles.write(directory(record.id()).resolve(RECORD), ContainerRecordJson.write(record));
    }
}
