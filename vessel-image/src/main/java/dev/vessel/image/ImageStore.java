package dev.vessel.image;

import dev.vessel.image.layer.LayerStore;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.store.BlobStore;
import dev.vessel.image.store.StoreState;
import dev.vessel.os.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The image store under a Vessel root directory:
 * <pre>
 *   ROOT/blobs/sha256/HEX      blobs (OCI layout form), verified when written and when read
 *   ROOT/image/images.json     images and references, replaced atomically
 *   ROOT/image/lock            writers' lock (one writer at a time, across processes)
 *   ROOT/layers/CHAINID/diff   unpacked layers, usable as overlayfs lower directories
 *   ROOT/tmp/image-*           a writer's staging area, removed by the next writer
 * </pre>
 * Reading needs no lock. Writing goes through {@link #writer()}: nothing a writer does is
 * visible until {@link StoreWriter#commit()}.
 */
public final class ImageStore {
    private static final Pattern HEX_PREFIX = Pattern.compile("(?:sha256:)?[a-f0-9]{1,64}");

    private final Path root;
    private final BlobStore blobs;

    private ImageStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.blobs = new BlobStore(this.root.resolve("blobs"));
    }

    /** The store under a Vessel root (directories are created by the first writer). */
    public static ImageStore open(Path root) {
        return new ImageStore(root);
    }

    public Path root() {
        return root;
    }

    public BlobStore blobs() {
        return blobs;
    }

    Path stateFile() {
        return root.resolve("image").resolve("images.json");
    }

    Path lockFile() {
        return root.resolve("image").resolve("lock");
    }

    Path tmpDir() {
        return root.resolve("tmp");
    }

    public Path layersDir() {
        return root.resolve("layers");
    }

    /** Starts a write transaction: takes the writers' lock and clears what a crashed writer left. */
    public StoreWriter writer() throws IOException {
        return new StoreWriter(this);
    }

    /** The committed metadata (empty for a new store). */
    public StoreState state() throws IOException {
        try {
            return Json.read(Files.readAllBytes(stateFile()), StoreState.class, "image store metadata " + stateFile());
        } catch (NoSuchFileException e) {
            return StoreState.empty();
        }
    }

    // ---- blobs ----

    public boolean hasBlob(Digest digest) {
        return blobs.has(digest);
    }

    /** A stream over a blob that fails at its end if the content does not match the digest. */
    public InputStream openBlob(Digest digest) throws IOException {
        return blobs.open(digest);
    }

    public byte[] readBlob(Digest digest) throws IOException {
        return blobs.read(digest);
    }

    public long blobSize(Digest digest) throws IOException {
        return blobs.size(digest);
    }

    // ---- images ----

    /** Every image, newest first. */
    public List<Image> images() throws IOException {
        return images(state());
    }

    static List<Image> images(StoreState state) {
        List<Image> result = new ArrayList<>();
        for (Map.Entry<String, StoreState.ImageRecord> entry : state.images().entrySet()) {
            result.add(image(state, Digest.parse(entry.getKey()), entry.getValue()));
        }
        result.sort(Comparator.comparing(Image::added).reversed().thenComparing(Image::manifestDigest));
        return result;
    }

    static Image image(StoreState state, Digest manifestDigest, StoreState.ImageRecord record) {
        List<ImageReference> tags = new ArrayList<>();
        for (Map.Entry<String, Digest> ref : state.references().entrySet()) {
            if (ref.getValue().equals(manifestDigest)) {
                tags.add(ImageReference.parse(ref.getKey()));
            }
        }
        Instant added = record.added() == null ? Instant.EPOCH : Timestamps.parse(record.added());
        return new Image(manifestDigest, record.config(), record.mediaType(), tags, added);
    }

    /**
     * Finds an image by reference ({@code busybox}, {@code name:tag}, {@code name@sha256:...}),
     * by full or short image ID, or by manifest digest.
     *
     * @throws ImageNotFoundException when nothing matches (message: {@code No such image: X})
     */
    public Image resolve(String text) throws IOException {
        return resolve(state(), text);
    }

    static Image resolve(StoreState state, String text) throws IOException {
        ImageReference ref = null;
        try {
            ref = ImageReference.parse(text);
        } catch (IllegalArgumentException e) {
            if (!HEX_PREFIX.matcher(text).matches()) {
                throw new ImageException(e.getMessage());
            }
        }
        if (ref != null && ref.isTagged()) {
            Digest manifest = state.references().get(ref.toString());
            if (manifest != null && state.images().containsKey(manifest.toString())) {
                return image(state, manifest, state.images().get(manifest.toString()));
            }
        }
        if (ref != null && ref.digest() != null) {
            StoreState.ImageRecord record = state.images().get(ref.digest().toString());
            if (record != null) {
                return image(state, ref.digest(), record);
            }
        }
        if (HEX_PREFIX.matcher(text).matches()) {
            String prefix = text.startsWith("sha256:") ? text.substring(7) : text;
            List<Image> matches = new ArrayList<>();
            for (Image image : images(state)) {
                if (image.id().hex().startsWith(prefix)
                        || (prefix.length() == 64 && image.manifestDigest().hex().equals(prefix))) {
                    matches.add(image);
                }
            }
            long distinctIds = matches.stream().map(Image::id).distinct().count();
            if (distinctIds > 1) {
                throw new ImageException("image ID prefix " + text + " is ambiguous: it matches " + distinctIds + " images");
            }
            if (!matches.isEmpty()) {
                // Several manifests may share one config: prefer a tagged one.
                return matches.stream().filter(i -> !i.dangling()).findFirst().orElse(matches.getFirst());
            }
        }
        throw new ImageNotFoundException(text);
    }

    /** The image's manifest, read from its verified blob. */
    public Manifest manifest(Image image) throws IOException {
        return Json.read(readBlob(image.manifestDigest()), Manifest.class, "manifest " + image.manifestDigest());
    }

    /** The image's config (Env, Cmd, Entrypoint, WorkingDir, User, history, rootfs diff IDs). */
    public ImageConfig config(Image image) throws IOException {
        return Json.read(readBlob(image.id()), ImageConfig.class, "image config " + image.id());
    }

    /** The config blob's exact bytes (for inspect and save). */
    public byte[] configBytes(Image image) throws IOException {
        return readBlob(image.id());
    }

    /** Sum of the config and layer blob sizes (what {@code vessel images} shows as SIZE). */
    public long size(Image image) throws IOException {
        Manifest manifest = manifest(image);
        long size = manifest.config().size();
        for (var layer : manifest.layers()) {
            size += layer.size();
        }
        return size;
    }

    /**
     * The image's layers unpacked (each once, keyed by chain ID) as directories usable as
     * overlayfs lower directories, lowest first. Unpacks missing layers under the writers' lock.
     */
    public List<Path> layerDirectories(Image image) throws IOException {
        return new LayerStore(this).unpack(image);
    }
}
