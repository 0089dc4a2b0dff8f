package dev.vessel.runtime.state;

import dev.vessel.os.AtomicFiles;
import dev.vessel.os.json.PlainJson;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The state directory: one directory per container holding state.json (replaced atomically) and exec.fifo. */
public final class StateStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_+.-]{0,1023}");
    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid container ID " + id
                    + ": use letters, digits, and _ + - . (not first)");
        }
    }

    public Path dir(String id) {
        checkId(id);
        return root.resolve(id);
    }

    /** Claims the ID: its directory is made exclusively, so two creates cannot both win. */
    public Path claim(String id) throws IOException {
        Path dir = dir(id);
        Files.createDirectories(root);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("container ID " + id + " is already in use");
        }
        return dir;
    }

    public void write(ContainerState state) throws IOException {
        Path dir = dir(state.id());
        // live-process state (as runc's in /run): atomic for readers, no fsync
        AtomicFiles.replace(dir.resolve("state.json"), PlainJson.write(state.toJson(), false));
    }

    public ContainerState read(String id) throws IOException {
        Path file = dir(id).resolve("state.json");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchContainerException(id);
        }
        return ContainerState.fromJson(PlainJson.parse(bytes));
    }

    public boolean exists(String id) {
        return Files.exists(dir(id).resolve("state.json"));
    }

    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(p -> Files.exists(p.resolve("state.json")))
                    .map(p -> p.getFileName().toString()).sorted().forEach(ids::add);
        }
        return ids;
    }

    /** Removes a container's directory and everything in it. */
    public void remove(String id) throws IOException {
        Path dir = dir(id);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** No container with this ID in the state directory. */
    public static final class NoSuchContainerException extends IllegalStateException {
        public NoSuchContainerException(String id) {
            super("container " + id + " does not exist");
        }
    }
}
