package dev.vessel.image.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vessel.os.json.JsonObject;
import java.util.List;
import java.util.Map;

/** An OCI (or Docker schema 2) image manifest: one config and the layers, lowest first. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
        Map<String, String> annotations) {
    public Manifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** Binds a manifest parsed by PlainJson (see {@link Json#read}). */
    public static Manifest from(JsonObject o) {
        JsonObject config = o.obj("config");
        Integer schemaVersion = o.integer("schemaVersion");
        return new Manifest(schemaVersion == null ? 0 : schemaVersion, o.str("mediaType"),
                config == null ? null : Descriptor.from(config, o.at("config")), o.objects("layers", Descriptor::from),
                o.stringMap("annotations"));
    }

    /** A fresh OCI manifest for a config and layers. */
    public static Manifest oci(Descriptor config, List<Descriptor> layers) {
        return new Manifest(2, MediaTypes.OCI_MANIFEST, config, layers, null);
    }
}
