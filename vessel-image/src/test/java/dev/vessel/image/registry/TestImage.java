package dev.vessel.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A small generated image (random file layers, gzip), as OCI or Docker schema 2, for registry tests. */
record TestImage(byte[] config, List<byte[]> layers, byte[] manifest, String mediaType) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TestImage random(long seed, int layerCount, int layerBytes, boolean docker, String architecture) throws IOException {
        Random random = new Random(seed);
        List<byte[]> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            byte[] content = new byte[layerBytes];
            random.nextBytes(content);
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
                TarArchiveEntry entry = new TarArchiveEntry("file" + i);
                entry.setSize(content.length);
                entry.setMode(0644);
                entry.setModTime(0);
                out.putArchiveEntry(entry);
                out.write(content);
                out.closeArchiveEntry();
            }
            diffIds.add(Digest.of(tar.toByteArray()).toString());
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(tar.toByteArray());
            }
            layers.add(gz.toByteArray());
        }
        ObjectNode config = JSON.createObjectNode().put("architecture", architecture).put("os", "linux");
        config.putObject("config").putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        config.put("created", "2026-01-01T00:00:00Z");
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String layerType = docker ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP;
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG)
                .put("digest", Digest.of(configBytes).toString()).put("size", configBytes.length);
        ArrayNode layerArray = manifest.putArray("layers");
        for (byte[] layer : layers) {
            layerArray.addObject().put("mediaType", layerType).put("digest", Digest.of(layer).toString()).put("size", layer.length);
        }
        return new TestImage(configBytes, layers, JSON.writeValueAsBytes(manifest),
                docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST);
    }

    Digest manifestDigest() {
        return Digest.of(manifest);
    }

    Digest configDigest() {
        return Digest.of(config);
    }

    /** Puts the image in a store under a reference. */
    Image store(ImageStore store, String reference) throws IOException {
        try (StoreWriter writer = store.writer()) {
            for (byte[] layer : layers) {
                writer.putBlob(layer, MediaTypes.OCI_LAYER_GZIP);
            }
            writer.putBlob(config, MediaTypes.OCI_CONFIG);
            Image image = writer.putImage(manifest);
            writer.tag(ImageReference.parse(reference), image.manifestDigest());
            writer.commit();
            return image;
        }
    }

    private void writeBlobs(Path layout) throws IOException {
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        for (byte[] blob : allBlobs()) {
            Files.write(blobs.resolve(Digest.of(blob).hex()), blob);
        }
    }

    private List<byte[]> allBlobs() {
        List<byte[]> all = new ArrayList<>(layers);
        all.add(config);
        all.add(manifest);
        return all;
    }

    /** Writes an OCI image layout holding this image under a tag (for skopeo). */
    void writeLayout(Path layout, String tag) throws IOException {
        writeBlobs(layout);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", mediaType).put("digest", manifestDigest().toString())
                .put("size", manifest.length).putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    /**
     * Writes an OCI layout whose tag names an image index of several images (one per
     * architecture); returns the index's bytes.
     */
    static byte[] writeMultiArchLayout(Path layout, String tag, List<TestImage> images, List<String> architectures) throws IOException {
        ObjectNode inner = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = inner.putArray("manifests");
        for (int i = 0; i < images.size(); i++) {
            TestImage image = images.get(i);
            image.writeBlobs(layout);
            ObjectNode entry = manifests.addObject().put("mediaType", image.mediaType())
                    .put("digest", image.manifestDigest().toString()).put("size", image.manifest().length);
            entry.putObject("platform").put("architecture", architectures.get(i)).put("os", "linux");
        }
        byte[] innerBytes = JSON.writeValueAsBytes(inner);
        Files.write(layout.resolve("blobs/sha256").resolve(Digest.of(innerBytes).hex()), innerBytes);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", MediaTypes.OCI_INDEX).put("digest", Digest.of(innerBytes).toString())
                .put("size", innerBytes.length).putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        return innerBytes;
    }
}
