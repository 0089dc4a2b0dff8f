package dev.vessel.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.image.Digest;
import dev.vessel.image.ImageStore;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.os.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The layer cache: for each step that changes files, the layer it made, under the step's cache
 * key ({@code ROOT/build-cache/KEY.json}). The key already names the parent layers, the
 * instruction and its inputs, so a hit is valid as long as the layer blob is still in the store.
 */
final class StepCache {
    /** A step's outcome: the layer it added, or none when it changed nothing. */
    record Entry(Descriptor layer, Digest diffId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final ImageStore images;

    StepCache(Path root, ImageStore images) {
        this.dir = root.resolve("build-cache");
        this.images = images;
    }

    Optional<Entry> find(String key) {
        Path file = dir.resolve(key + ".json");
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(file.toFile());
            if (node.path("layer").isNull() || node.path("layer").isMissingNode()) {
                return Optional.of(new Entry(null, null));
            }
            JsonNode layer = node.get("layer");
            Descriptor descriptor = new Descriptor(layer.get("mediaType").asText(),
                    Digest.parse(layer.get("digest").asText()), layer.get("size").asLong());
            if (!images.hasBlob(descriptor.digest())) {
                return Optional.empty();
            }
            return Optional.of(new Entry(descriptor, Digest.parse(node.get("diffId").asText())));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // a damaged entry is a miss: the step runs again and rewrites it
        }
    }

    void put(String key, Entry entry) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        if (entry.layer() == null) {
            node.putNull("layer");
        } else {
            ObjectNode layer = node.putObject("layer");
            layer.put("mediaType", entry.layer().mediaType());
            layer.put("digest", entry.layer().digest().toString());
            layer.put("size", entry.layer().size());
            node.put("diffId", entry.diffId().toString());
        }
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(key + ".json"), JSON.writeValueAsBytes(node));
    }
}
