package dev.vessel.image.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vessel.os.json.JsonObject;
import java.util.List;
import java.util.Map;

/** An OCI image index (index.json of an OCI layout, or a multi-platform manifest list). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Index(int schemaVersion, String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    public Index {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    /** Binds an index parsed by PlainJson (see {@link Json#read}). */
    public static Index from(JsonObject o) {
        Integer schemaVersion = o.integer("schemaVersion");
        return new Index(schemaVersion == null ? 0 : schemaVersion, o.str("mediaType"),
                o.objects("manifests", Descriptor::from), o.stringMap("annotations"));
    }

    /** The annotation naming an image in an OCI layout (skopeo writes the tag, podman the full name). */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** containerd's (and Docker's) annotation holding the full image name. */
    public static final String CONTAINERD_NAME = "io.containerd.image.name";
}
