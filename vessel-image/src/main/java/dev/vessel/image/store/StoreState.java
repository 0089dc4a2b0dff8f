package dev.vessel.image.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vessel.image.Digest;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store's metadata, one JSON file replaced atomically: the images (keyed by manifest
 * digest) and the references (full {@code name:tag} -> manifest digest).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoreState(Map<String, ImageRecord> images, Map<String, Digest> references) {
    public StoreState {
        images = images == null ? new TreeMap<>() : new TreeMap<>(images);
        references = references == null ? new TreeMap<>() : new TreeMap<>(references);
    }

    public static StoreState empty() {
        return new StoreState(null, null);
    }

    /** What the store records about one image besides its blobs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageRecord(Digest config, String mediaType, String added) {
    }
}
