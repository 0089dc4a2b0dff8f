package dev.vessel.image.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vessel.image.Digest;
import java.util.Map;
import java.util.TreeMap;

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

    public static StoreState empty() {
        return new StoreState(null, null, null);
    }

    /** What the store records about one image besides its blobs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageRecord(Digest config, String mediaType, String added) {
    }
}
