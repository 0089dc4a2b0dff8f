package dev.vessel.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.engine.container.ContainerConfig;
import dev.vessel.engine.container.ContainerIds;
import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.engine.container.ContainerState;
import dev.vessel.engine.container.ContainerStore;
import dev.vessel.engine.container.CreateRequest;
import dev.vessel.engine.container.HostConfig;
import dev.vessel.engine.rootfs.EtcFiles;
import dev.vessel.engine.rootfs.OverlayRootfs;
import dev.vessel.engine.spec.OciConfigBuilder;
import dev.vessel.engine.spec.UserResolver;
import dev.vessel.engine.volume.Volumes;
import dev.vessel.image.Image;
import dev.vessel.image.ImageStore;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.store.AtomicFiles;
import dev.vessel.runtime.OciRuntime;
import dev.vessel.runtime.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's containers: an image becomes an overlay root file system and an OCI bundle, which
 * the runtime runs. One instance per command; all state lives under the Vessel root.
 */
public final class Containers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final ImageStore images;
    private final ContainerStore store;
    private final OciRuntime runtime;
    private final Volumes volumes;

    public Containers(Path root) {
        this.root = root;
        this.images = ImageStore.open(root);
        this.store = new ContainerStore(root);
        this.runtime = new OciRuntime(root.resolve("run").resolve("oci"));
        this.volumes = new Volumes(root);
    }

    public ContainerStore store() {
        return store;
    }

    public OciRuntime runtime() {
        return runtime;
    }

    public ImageStore images() {
        return images;
    }

    public Volumes volumes() {
        return volumes;
    }

    /** Creates a container (state created): its record, writable layer and bundle. */
    public ContainerRecord create(CreateRequest request) throws IOException {
        Image image = images.resolve(request.image());
        ImageConfig imageConfig = images.config(image);
        String id = ContainerIds.newId();
        String name = request.name() != null ? request.name() : uniqueGeneratedName();
        ContainerConfig config = mergeConfig(request, imageConfig.configOrEmpty(), id);
        OciConfigBuilder.arguments(config);
        HostConfig host = request.host().withMounts(Volumes.nameAnonymous(request.host().mounts()));
        ContainerRecord record = new ContainerRecord(id, name, Instant.now().toString(), image.id().toString(),
                request.image(), config, host, ContainerState.created(), 0);
        store.create(record);
        try {
            prepareBundle(record);
        } catch (IOException | RuntimeException e) {
            try {
                removeFiles(record);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            store.remove(id);
            throw e;
        }
        return record;
    }

    private String uniqueGeneratedName() throws IOException {
        List<String> taken = store.list().stream().map(ContainerRecord::name).toList();
        for (int attempt = 0; attempt < 100; attempt++) {
            String candidate = ContainerIds.newName();
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
        return ContainerIds.newName() + "_" + ContainerIds.newId().substring(0, 6);
    }

    /** The image's defaults with the request's overrides, as Docker merges them. */
    static ContainerConfig mergeConfig(CreateRequest request, ImageConfig.Config image, String id) {
        ContainerConfig given = request.config();
        List<String> entrypoint = image.entrypoint();
        List<String> cmd = image.cmd();
        if (request.entrypoint() != null) {
            entrypoint = request.entrypoint().isEmpty() ? null : List.of(request.entrypoint());
            cmd = null;
        }
        if (request.command() != null && !request.command().isEmpty()) {
            cmd = request.command();
        }
        List<String> env = new ArrayList<>(image.env() == null ? List.of() : image.env());
        for (String variable : request.env()) {
            String nameOnly = variable.split("=", 2)[0];
            String value = variable.contains("=") ? variable : fromCaller(variable);
            if (value == null) {
                continue;
            }
            env.removeIf(e -> e.split("=", 2)[0].equals(nameOnly));
            env.add(value);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (image.labels() != null) {
            labels.putAll(image.labels());
        }
        if (given.labels() != null) {
            labels.putAll(given.labels());
        }
        String hostname = given.hostname() != null && !given.hostname().isEmpty() ? given.hostname()
                : ContainerIds.shortId(id);
        String user = given.user() != null && !given.user().isEmpty() ? given.user()
                : image.user() == null ? "" : image.user();
        String workingDir = given.workingDir() != null && !given.workingDir().isEmpty() ? given.workingDir()
                : image.workingDir() == null || image.workingDir().isEmpty() ? "/" : image.workingDir();
        String stopSignal = given.stopSignal() != null ? given.stopSignal()
                : image.stopSignal() != null ? image.stopSignal() : "SIGTERM";
        return new ContainerConfig(hostname, given.domainname(), user, given.attachStdin(), given.tty(),
                given.openStdin(), List.copyOf(env), cmd, request.image(), workingDir, entrypoint, labels, stopSignal,
                given.stopTimeout());
    }

    private static String fromCaller(String name) {
        String value = System.getenv(name);
        return value == null ? null : name + "=" + value;
    }

    private void prepareBundle(ContainerRecord record) throws IOException {
        Path dir = store.directory(record.id());
        Image image = images.resolve(record.imageId());
        OverlayRootfs rootfs = new OverlayRootfs(dir);
        rootfs.mount(images.layerDirectories(image), root.resolve("layers").resolve("empty"));
        UserResolver.ResolvedUser user = UserResolver.forRoot(rootfs.target()).resolve(record.config().user());
        boolean hostNetwork = "host".equals(record.hostConfig().networkMode());
        OciConfigBuilder.EtcFiles etc = EtcFiles.write(dir, record.config().hostname(), hostNetwork);
        List<OciConfigBuilder.ResolvedMount> mounts = volumes.resolve(record.hostConfig().mounts());
        ObjectNode spec = OciConfigBuilder.build(record.config(), record.hostConfig(), user, mounts, etc,
                null, "vessel/" + record.id());
        AtomicFiles.write(dir.resolve("bundle").resolve("config.json"), JSON.writeValueAsBytes(spec));
    }

    /**
     * Runs a created or stopped container in the foreground with the caller's stdio and waits
     * for it; returns its exit status.
     */
    public int runAttached(ContainerRecord record) throws IOException {
        Path dir = store.directory(record.id());
        if (!Files.exists(dir.resolve("bundle").resolve("config.json")) || !isMounted(record)) {
            prepareBundle(record);
        }
        store.update(record.id(), r -> r.withState(r.state().running(0, Instant.now().toString())));
        int status;
        try {
            status = runtime.run(record.id(), dir.resolve("bundle"), OciRuntime.CreateOptions.defaults());
        } catch (IOException | RuntimeException e) {
            int failed = e instanceof dev.vessel.runtime.OciException oci ? oci.status() : 125;
            store.update(record.id(), r -> r.withState(r.state().failed(e.getMessage(), failed)));
            stopFiles(record);
            throw e;
        }
        int exit = status;
        store.update(record.id(), r -> r.withState(r.state().exited(exit, false, Instant.now().toString())));
        stopFiles(record);
        return status;
    }

    private boolean isMounted(ContainerRecord record) throws IOException {
        return dev.vessel.os.Mounts.isMountPoint(new OverlayRootfs(store.directory(record.id())).target());
    }

    /** After a container stops: its root file system is unmounted (the writable layer stays). */
    private void stopFiles(ContainerRecord record) throws IOException {
        new OverlayRootfs(store.directory(record.id())).unmount();
    }

    /** Removes a container; a running one only with force (it is killed first). */
    public void remove(String nameOrId, boolean force, boolean removeVolumes) throws IOException {
        ContainerRecord record = store.resolve(nameOrId);
        String status = liveStatus(record);
        if ((status.equals("running") || status.equals("paused")) && !force) {
            throw new IllegalStateException("cannot remove container \"" + record.name() + "\": container is "
                    + status + ": stop the container before removing or force remove");
        }
        try {
            runtime.delete(record.id(), true);
        } catch (StateStore.NoSuchContainerException gone) {
            // never started, or already deleted
        }
        removeFiles(record);
        store.remove(record.id());
        if (removeVolumes) {
            volumes.removeAnonymous(record.hostConfig().mounts());
        }
    }

    private void removeFiles(ContainerRecord record) throws IOException {
        new OverlayRootfs(store.directory(record.id())).unmount();
    }

    /** The status as it is now: the record's, corrected by what the runtime sees. */
    public String liveStatus(ContainerRecord record) throws IOException {
        return record.state().status();
    }
}
