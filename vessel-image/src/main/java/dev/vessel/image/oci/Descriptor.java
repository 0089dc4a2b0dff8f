package dev.vessel.image.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vessel.image.Digest;
import dev.vessel.os.json.JsonObject;
import java.util.Map;

/** An OCI content descriptor: what a blob is, its digest and its size. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
        Platform platform) {
    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, null);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, newAnnotations, platform);
    }

    /** Binds a descriptor parsed by PlainJson (see {@link Json#read}). */
    public static Descriptor from(JsonObject o, String where) {
        String digest = o.str("digest");
        Long size = o.lng("size");
        JsonObject platform = o.obj("platform");
        return new Descriptor(o.str("mediaType"), digest == null ? null : Digest.parse(digest), size == null ? 0 : size,
                o.stringMap("annotations"), platform == null ? null
                        : new Platform(platform.str("architecture"), platform.str("os"), platform.str("variant")));
    }

    public String annotation(String key) {
        return annotations == null ? null : annotations.get(key);
    }

    /** The platform an index entry is for. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Platform(String architecture, String os, String variant) {
    }
}
