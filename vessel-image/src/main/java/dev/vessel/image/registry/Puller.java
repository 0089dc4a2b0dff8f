package dev.vessel.image.registry;

import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Index;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.oci.MediaTypes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pulls an image from a registry into the store: resolves the reference (choosing the
 * platform's manifest from an index or manifest list), downloads the missing blobs in parallel
 * (each verified by the store as it streams in), then records the manifest and the tag in one
 * store transaction. Nothing is visible in the store unless everything arrived intact.
 */
public final class Puller {
    /** What a pull produced: the image, the digest of the manifest pulled and whether it was all present already. */
    public record Result(Image image, Digest manifestDigest, ImageReference reference, boolean upToDate) {
    }

    private final ImageStore store;
    private final RegistryClient client;
    private final int parallel;

    public Puller(ImageStore store, RegistryClient client, int parallel) {
        this.store = store;
        this.client = client;
        this.parallel = parallel;
    }

    public Result pull(ImageReference reference, Platform platform, TransferListener listener) throws IOException {
        if (!reference.domain().equals(client.registry())) {
            throw new IllegalArgumentException("reference " + reference + " is not on registry " + client.registry());
        }
        String repository = reference.path();
        String wanted = reference.digest() != null ? reference.digest().toString() : reference.tag();
        RegistryClient.Manifest fetched = client.getManifest(repository, wanted, RegistryClient.ACCEPT_ANY);
        if (MediaTypes.isIndex(fetched.mediaType())) {
            Descriptor chosen = choose(reference, fetched, platform);
            fetched = client.getManifest(repository, chosen.digest().toString(), RegistryClient.ACCEPT_IMAGE);
        }
        if (!MediaTypes.isImageManifest(fetched.mediaType())) {
            throw new RegistryException(RegistryException.Kind.UNSUPPORTED, "unsupported manifest type \"" + fetched.mediaType()
                    + "\" for " + reference + " (Docker schema 2 and OCI manifests are supported)");
        }
        Manifest manifest = Json.read(fetched.bytes(), Manifest.class, "manifest of " + reference);
        if (manifest.config() == null || manifest.config().digest() == null) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "manifest of " + reference + " names no config");
        }
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        blobs.put(manifest.config().digest(), manifest.config());
        for (Descriptor layer : manifest.layers()) {
            if (layer.mediaType() != null && layer.mediaType().contains("foreign")) {
                throw new RegistryException(RegistryException.Kind.UNSUPPORTED, "image " + reference
                        + " has a foreign (Windows) layer, which Vessel cannot pull");
            }
            blobs.putIfAbsent(layer.digest(), layer);
        }
        Digest manifestDigest = Digest.parse(fetched.digest());
        try (StoreWriter writer = store.writer()) {
            boolean upToDate = writer.state().images().containsKey(manifestDigest.toString());
            Transfers transfers = new Transfers(parallel);
            List<Transfers.Task> tasks = new ArrayList<>();
            for (Descriptor blob : blobs.values()) {
                listener.started(blob.digest().toString(), blob.size());
                if (writer.hasBlob(blob.digest())) {
                    listener.finished(blob.digest().toString(), "Already exists");
                    continue;
                }
                upToDate = false;
                tasks.add(() -> download(writer, repository, blob, transfers, listener));
            }
            transfers.runAll(tasks);
            Image image = writer.putImage(fetched.bytes());
            if (reference.isTagged()) {
                writer.tag(reference, image.manifestDigest());
            }
            writer.commit();
            return new Result(image, manifestDigest, reference, upToDate);
        }
    }

    private void download(StoreWriter writer, String repository, Descriptor blob, Transfers transfers, TransferListener listener)
            throws IOException {
        String digest = blob.digest().toString();
        // The store hashes while it writes; the registry stream resumes dropped connections.
        try (InputStream in = new StopOnFailure(client.openBlob(repository, digest, blob.size(), false, listener), transfers)) {
            writer.putBlob(in, blob.mediaType(), blob.digest(), blob.size());
        } catch (ImageException e) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "pull from " + client.registry() + "/" + repository
                    + " failed: " + e.getMessage(), e);
        }
        listener.finished(digest, "Pull complete");
    }

    private Descriptor choose(ImageReference reference, RegistryClient.Manifest fetched, Platform platform) throws IOException {
        Index index = Json.read(fetched.bytes(), Index.class, "manifest list of " + reference);
        List<String> available = new ArrayList<>();
        for (Descriptor entry : index.manifests()) {
            Descriptor.Platform p = entry.platform();
            if (p == null) {
                continue;
            }
            if (platform.matches(p.os(), p.architecture(), p.variant())) {
                return entry;
            }
            available.add(p.os() + "/" + p.architecture() + (p.variant() != null ? "/" + p.variant() : ""));
        }
        throw new RegistryException(RegistryException.Kind.NOT_FOUND, "no image for platform " + platform + " in " + reference
                + " (it has: " + (available.isEmpty() ? "none" : String.join(", ", available)) + ")");
    }

    /** Ends a download early when a sibling transfer failed. */
    private static final class StopOnFailure extends FilterInputStream {
        private final Transfers transfers;

        StopOnFailure(InputStream in, Transfers transfers) {
            super(in);
            this.transfers = transfers;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (transfers.failed()) {
                throw new IOException("stopped: another transfer failed");
            }
            return super.read(buffer, offset, length);
        }
    }
}
