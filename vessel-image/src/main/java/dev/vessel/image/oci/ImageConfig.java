package dev.vessel.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vessel.image.Digest;
import dev.vessel.os.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The OCI image configuration (what Docker calls the image JSON): how to run the image and
 * the uncompressed digests of its layers. Unknown fields are ignored when reading; the store
 * keeps the original bytes as the config blob, so nothing is lost.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(String created, String author, String architecture, String os, String variant,
        Config config, RootFs rootfs, List<History> history) {

    /** How to run a container from the image (OCI "config", Docker "Config"). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Config(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("ArgsEscaped") Boolean argsEscaped) {
        static Config from(JsonObject o) {
            return new Config(o.str("User"), objectMap(o, "ExposedPorts"), o.strings("Env"), o.strings("Entrypoint"),
                    o.strings("Cmd"), objectMap(o, "Volumes"), o.str("WorkingDir"), o.stringMap("Labels"),
                    o.str("StopSignal"), o.bool("ArgsEscaped"));
        }

        private static Map<String, Object> objectMap(JsonObject o, String field) {
            JsonObject map = o.obj(field);
            return map == null ? null : map.map();
        }

        public static Config empty() {
            return new Config(null, null, null, null, null, null, null, null, null, null);
        }
    }

    /** The layers' uncompressed (diff) digests, lowest first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
        public RootFs {
            diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        }
    }

    /** One build step; empty_layer steps made no layer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record History(String created, @JsonProperty("created_by") String createdBy, String author,
            String comment, @JsonProperty("empty_layer") Boolean emptyLayer) {
        public boolean isEmptyLayer() {
            return Boolean.TRUE.equals(emptyLayer);
        }
    }

    /** Binds a config parsed by PlainJson (see {@link Json#read}). */
    public static ImageConfig from(JsonObject o) {
        JsonObject config = o.obj("config");
        JsonObject rootfs = o.obj("rootfs");
        return new ImageConfig(o.str("created"), o.str("author"), o.str("architecture"), o.str("os"), o.str("variant"),
                config == null ? null : Config.from(config),
                rootfs == null ? null : new RootFs(rootfs.str("type"), digests(rootfs, "diff_ids")),
                o.objects("history", (h, where) -> new History(h.str("created"), h.str("created_by"), h.str("author"),
                        h.str("comment"), h.bool("empty_layer"))));
    }

    private static List<Digest> digests(JsonObject o, String field) {
        List<String> texts = o.strings(field);
        return texts == null ? null : texts.stream().map(Digest::parse).toList();
    }

    public Config configOrEmpty() {
        return config == null ? Config.empty() : config;
    }

    public List<Digest> diffIds() {
        return rootfs == null ? List.of() : rootfs.diffIds();
    }
}
