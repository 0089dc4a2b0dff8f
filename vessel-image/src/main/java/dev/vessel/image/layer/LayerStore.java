package dev.vessel.image.layer;

import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageException;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Manifest;
import dev.vessel.os.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacked layers, each once, keyed by chain ID: {@code ROOT/layers/<chainid-hex>/diff}. A
 * layer is unpacked into the writer's staging area and renamed into place only when complete
 * and verified, so a directory under {@code layers/} is always whole.
 */
public final class LayerStore {
    private final ImageStore store;

    public LayerStore(ImageStore store) {
        this.store = store;
    }

    /** Chain IDs as the OCI spec defines them: ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n)). */
    public static List<Digest> chainIds(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>();
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null ? diffId : Digest.of(previous + " " + diffId);
            chain.add(previous);
        }
        return chain;
    }

    public Path layerDir(Digest chainId) {
        return store.layersDir().resolve(chainId.hex());
    }

    /** The unpacked directories of an image's layers, lowest first, unpacking those missing. */
    public List<Path> unpack(Image image) throws IOException {
        ImageConfig config = store.config(image);
        Manifest manifest = store.manifest(image);
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new ImageException("image " + image.id().shortHex() + " is inconsistent: its manifest has "
                    + manifest.layers().size() + " layers but its config lists " + config.diffIds().size());
        }
        return unpack(manifest.layers(), config.diffIds());
    }

    /**
     * The unpacked directories of a stack of layers (blobs in the store, lowest first, with their
     * diff IDs), unpacking those missing: what a build step mounts before its image exists.
     */
    public List<Path> unpack(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
        List<Digest> chainIds = chainIds(diffIds);
        List<Path> dirs = new ArrayList<>();
        boolean missing = false;
        for (Digest chainId : chainIds) {
            dirs.add(layerDir(chainId).resolve("diff"));
            missing |= !Files.isDirectory(layerDir(chainId));
        }
        if (missing) {
            try (StoreWriter writer = store.writer()) {
                for (int i = 0; i < chainIds.size(); i++) {
                    if (!Files.isDirectory(layerDir(chainIds.get(i)))) {
                        unpackOne(writer, layers.get(i), diffIds.get(i), chainIds.get(i));
                    }
                }
            }
        }
        return dirs;
    }

    private void unpackOne(StoreWriter writer, Descriptor layer, Digest diffId, Digest chainId) throws IOException {
        Path staged = writer.newTempPath("layer");
        Path diff = staged.resolve("diff");
        Files.createDirectories(diff);
        try (var in = writer.openBlob(layer.digest())) {
            new LayerUnpacker(diff).unpack(in, layer.mediaType(), diffId);
        }
        Files.writeString(staged.resolve("diffid"), diffId.toString());
        Files.createDirectories(store.layersDir());
        Files.move(staged, layerDir(chainId), StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(store.layersDir());
    }

    /** Deletes unpacked layers that no image in the writer's state uses. */
    public void removeUnused(StoreWriter writer) throws IOException {
        Path dir = store.layersDir();
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<String> live = new HashSet<>();
        for (Image image : writer.images()) {
            try {
                ImageConfig config = dev.vessel.image.oci.Json.read(writer.readBlob(image.id()), ImageConfig.class, "config");
                for (Digest chainId : chainIds(config.diffIds())) {
                    live.add(chainId.hex());
                }
            } catch (ImageException e) {
                return; // a damaged image: keep every layer rather than guess
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!live.contains(entry.getFileName().toString())) {
                    // Rename first so a crash mid-delete never leaves a half layer under its key.
                    Path doomed = writer.newTempPath("doomed");
                    Files.move(entry, doomed, StandardCopyOption.ATOMIC_MOVE);
                    AtomicFiles.deleteTree(doomed);
                }
            }
        }
    }
}
