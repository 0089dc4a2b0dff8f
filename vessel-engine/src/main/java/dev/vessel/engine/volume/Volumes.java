package dev.vessel.engine.volume;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vessel.engine.container.ContainerIds;
import dev.vessel.engine.container.HostConfig.MountRequest;
import dev.vessel.engine.spec.OciConfigBuilder.ResolvedMount;
import dev.vessel.os.AtomicFiles;
import dev.vessel.os.StoreLock;
import dev.vessel.os.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Named and anonymous volumes under {@code ROOT/volumes/NAME} (a {@code _data} directory and its record). */
public final class Volumes {
    /** Made on first use: most commands never touch a volume, and a mapper is slow to start. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final Path dir;

    public Volumes(Path root) {
        this.dir = root.resolve("volumes");
    }

    /** Creates a volume, or returns the existing one of that name (as `docker volume create` does). */
    public Volume create(String name, Map<String, String> labels, boolean anonymous) throws IOException {
        ContainerIds.checkName(name);
        try (StoreLock ignored = StoreLock.acquire(dir.resolve("lock"))) {
            Path record = dir.resolve(name).resolve("volume.json");
            if (Files.exists(record)) {
                return read(name);
            }
            Path data = Files.createDirectories(dir.resolve(name).resolve("_data"));
            Volume volume = new Volume(name, "local", data.toString(), Timestamps.now(), labels, "local",
                    Map.of(), anonymous);
            AtomicFiles.write(record, Mapper.JSON.writeValueAsBytes(volume));
            return volume;
        }
    }

    public Volume read(String name) throws IOException {
        Path record = dir.resolve(name).resolve("volume.json");
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*") || !Files.exists(record)) {
            throw new IOException("No such volume: " + name);
        }
        return Mapper.JSON.readValue(record.toFile(), Volume.class);
    }

    public List<Volume> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Volume> result = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.sorted().toList()) {
                if (Files.exists(entry.resolve("volume.json"))) {
                    result.add(read(entry.getFileName().toString()));
                }
            }
        }
        return result;
    }

    /** Removes a volume unless a container uses it. */
    public void remove(String name, Collection<String> inUse) throws IOException {
        read(name);
        if (inUse.contains(name)) {
            throw new IllegalStateException("remove " + name + ": volume is in use");
        }
        try (StoreLock ignored = StoreLock.acquire(dir.resolve("lock"))) {
            Path doomed = dir.resolve(".removing-" + name);
            Files.move(dir.resolve(name), doomed);
            AtomicFiles.deleteTree(doomed);
        }
    }

    /** Gives anonymous volumes a name (64 hex digits, as Docker) so the container records which it owns. */
    public static List<MountRequest> nameAnonymous(List<MountRequest> mounts) {
        List<MountRequest> named = new ArrayList<>();
        for (MountRequest mount : mounts == null ? List.<MountRequest>of() : mounts) {
            if (mount.type().equals("volume") && mount.source().isEmpty()) {
                List<String> options = new ArrayList<>(mount.options());
                options.add("anonymous");
                named.add(new MountRequest("volume", ContainerIds.newId(), mount.target(), mount.readOnly(),
                        List.copyOf(options)));
            } else {
                named.add(mount);
            }
        }
        return named;
    }

    /** Host paths for a container's mounts; named volumes are created on first use, bind sources must exist. */
    public List<ResolvedMount> resolve(List<MountRequest> mounts) throws IOException {
        List<ResolvedMount> resolved = new ArrayList<>();
        for (MountRequest mount : mounts == null ? List.<MountRequest>of() : mounts) {
            List<String> options = new ArrayList<>();
            for (String option : mount.options()) {
                if (!option.equals("anonymous")) {
                    options.add(option);
                }
            }
            switch (mount.type()) {
                case "bind" -> {
                    Path source = Path.of(mount.source()).toAbsolutePath().normalize();
                    if (!Files.exists(source)) {
                        throw new IllegalArgumentException("invalid mount config for type \"bind\": bind source path does not exist: " + source);
                    }
                    options.addAll(List.of("rbind", mount.readOnly() ? "ro" : "rw"));
                    resolved.add(new ResolvedMount(mount.target(), "bind", source.toString(), List.copyOf(options)));
                }
                case "volume" -> {
                    Volume volume = create(mount.source(), Map.of(), mount.options().contains("anonymous"));
                    options.addAll(List.of("rbind", mount.readOnly() ? "ro" : "rw"));
                    resolved.add(new ResolvedMount(mount.target(), "bind", volume.mountpoint(), List.copyOf(options)));
                }
                case "tmpfs" -> {
                    if (mount.readOnly() && !options.contains("ro")) {
                        options.add("ro");
                    }
                    resolved.add(new ResolvedMount(mount.target(), "tmpfs", "tmpfs", List.copyOf(options)));
                }
                default -> throw new IllegalArgumentException("unsupported mount type " + mount.type());
            }
        }
        return resolved;
    }

    /** Removes the anonymous volumes among a container's mounts (`rm -v`). */
    public void removeAnonymous(List<MountRequest> mounts) throws IOException {
        for (MountRequest mount : mounts == null ? List.<MountRequest>of() : mounts) {
            if (mount.type().equals("volume") && mount.options().contains("anonymous")) {
                try {
                    remove(mount.source(), List.of());
                } catch (IOException gone) {
                    // already removed
                }
            }
        }
    }
}
