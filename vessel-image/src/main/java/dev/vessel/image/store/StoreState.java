package dev.vessel.image.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vessel.image.Digest;
import dev.vessel.os.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The store's metadata, one JSON file replaced atomically: the images (keyed by manifest
 * digest), the references (full {@code name:tag} -> manifest digest), and the layer blobs the
 * build cache keeps although no image uses them (yet).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoreState(Map<String, ImageRecord> images, Map<String, Digest> references,
        @JsonProperty("buildCache") @JsonInclude(JsonInclude.Include.NON_EMPTY) Set<Digest> buildCache) {
    public StoreState {
        images = images == null ? new TreeMap<>() : new TreeMap<>(images);
        references = references == null ? new TreeMap<>() : new TreeMap<>(references);
        buildCache = buildCache == null ? new TreeSet<>() : new TreeSet<>(buildCache);
    }

    /** Binds the store's metadata parsed by PlainJson (see {@link dev.vessel.image.oci.Json#read}). */
    public static StoreState from(JsonObject o) {
        Map<String, ImageRecord> images = o.objectMap("images", (r, digest) -> {
            String config = r.str("config");
            return new ImageRecord(config == null ? null : Digest.parse(config), r.str("mediaType"), r.str("added"));
        });
        Map<String, String> references = o.stringMap("references");
        Map<String, Digest> digests = null;
        if (references != null) {
            digests = new TreeMap<>();
            for (Map.Entry<String, String> e : references.entrySet()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("field references." + e.getKey() + ": expected a digest, got null");
                }
                digests.put(e.getKey(), Digest.parse(e.getValue()));
            }
        }
        List<String> cached = o.strings("buildCache");
        return new StoreState(images, digests, cached == null ? null : new TreeSet<>(cached.stream().map(Digest::parse).toList()));
    }

    public static StoreState empty() {
        return new StoreState(null, null, null);
    }

    /** What the store records about one image besides its blobs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageRecord(Digest config, String mediaType, String added) {
    }
}
