package dev.vessel.image.registry;

import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes an image from the store to a registry: every blob the registry lacks is uploaded in
 * parallel (or mounted from another repository of the same registry the image came from), then
 * the manifest is put under the tag, byte for byte, so the digest is the one in the store.
 */
public final class Pusher {
    /** What a push did: the manifest digest and how many blobs were uploaded, mounted or already there. */
    public record Result(Digest manifestDigest, ImageReference destination, int uploaded, int mounted, int existed) {
    }

    private final ImageStore store;
    private final RegistryClient client;
    private final int parallel;

    public Pusher(ImageStore store, RegistryClient client, int parallel) {
        this.store = store;
        this.client = client;
        this.parallel = parallel;
    }

    public Result push(Image image, ImageReference destination, TransferListener listener) throws IOException {
        if (!destination.domain().equals(client.registry())) {
            throw new IllegalArgumentException("reference " + destination + " is not on registry " + client.registry());
        }
        byte[] manifestBytes = store.readBlob(image.manifestDigest());
        Manifest manifest = Json.read(manifestBytes, Manifest.class, "manifest " + image.manifestDigest());
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        for (Descriptor layer : manifest.layers()) {
            blobs.putIfAbsent(layer.digest(), layer);
        }
        blobs.putIfAbsent(manifest.config().digest(), manifest.config());
        String mountFrom = mountSource(image, destination);
        int[] counts = new int[3];
        Transfers transfers = new Transfers(parallel);
        List<Transfers.Task> tasks = new ArrayList<>();
        for (Descriptor blob : blobs.values()) {
            tasks.add(() -> {
                String digest = blob.digest().toString();
                Path path = store.blobs().path(blob.digest());
                if (!Files.isRegularFile(path)) {
                    throw new IOException("blob " + digest + " of " + image.id() + " is missing from the store");
                }
                listener.started(digest, blob.size());
                RegistryClient.Upload outcome = client.uploadBlob(destination.path(), digest, blob.size(), () -> {
                    try {
                        return Files.newInputStream(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, mountFrom, listener);
                synchronized (counts) {
                    counts[outcome.ordinal()]++;
                }
                listener.finished(digest, switch (outcome) {
                    case EXISTED -> "Layer already exists";
                    case MOUNTED -> "Mounted from " + mountFrom;
                    case UPLOADED -> "Pushed";
                });
            });
        }
        transfers.runAll(tasks);
        String reference = destination.tag() != null ? destination.tag() : destination.digest().toString();
        client.putManifest(destination.path(), reference, image.manifestMediaType(), manifestBytes);
        return new Result(image.manifestDigest(), destination, counts[RegistryClient.Upload.UPLOADED.ordinal()],
                counts[RegistryClient.Upload.MOUNTED.ordinal()], counts[RegistryClient.Upload.EXISTED.ordinal()]);
    }

    /** Another repository on the same registry that the image is tagged from (it has the blobs), if any. */
    private static String mountSource(Image image, ImageReference destination) {
        for (ImageReference tag : image.tags()) {
            if (tag.domain().equals(destination.domain()) && !tag.path().equals(destination.path())) {
                return tag.path();
            }
        }
        return null;
    }
}
