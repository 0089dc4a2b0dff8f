package dev.vessel.image.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.image.Digest;
import dev.vessel.image.ImageException;
import dev.vessel.image.store.StoreState;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The hand binders behind {@link Json#read} read back what the Jackson mapper writes, field for
 * field, and documents as Docker and OCI tools write them (null fields, unknown ones). They are
 * stricter than Jackson on types: a number where a string belongs is an error, not coerced.
 */
class JsonBindersTest {
    private static final Digest A = Digest.of("a".getBytes(StandardCharsets.UTF_8));
    private static final Digest B = Digest.of("b".getBytes(StandardCharsets.UTF_8));

    @Test
    void manifestRoundTrips() throws Exception {
        Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, A, 123);
        Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, B, 4567, Map.of("k", "v"),
                new Descriptor.Platform("amd64", "linux", null));
        Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of("x", "y"));
        assertThat(Json.read(Json.bytes(manifest), Manifest.class, "manifest")).isEqualTo(manifest);
        assertThat(Json.mapper().readValue(Json.bytes(manifest), Manifest.class)).isEqualTo(manifest);
    }

    @Test
    void indexRoundTrips() throws Exception {
        Index index = new Index(2, MediaTypes.OCI_INDEX, List.of(new Descriptor(MediaTypes.OCI_MANIFEST, A, 9)),
                Map.of(Index.REF_NAME, "latest"));
        assertThat(Json.read(Json.bytes(index), Index.class, "index")).isEqualTo(index);
    }

    @Test
    void configRoundTripsAndKeepsDockerFieldNames() throws Exception {
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("80/tcp", Map.of());
        ImageConfig.Config run = new ImageConfig.Config("app", ports, List.of("PATH=/bin"), List.of("/init"),
                List.of("sh"), Map.of("/data", Map.of()), "/work", Map.of("l", "v"), "SIGINT", true);
        ImageConfig config = new ImageConfig("2026-01-01T00:00:00Z", "me", "amd64", "linux", null, run,
                new ImageConfig.RootFs("layers", List.of(A, B)),
                List.of(new ImageConfig.History("2026-01-01T00:00:00Z", "RUN x", null, null, true)));
        byte[] json = Json.bytes(config);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"Entrypoint\"", "\"diff_ids\"", "\"empty_layer\"");
        assertThat(Json.read(json, ImageConfig.class, "config")).isEqualTo(config);
    }

    @Test
    void storeStateRoundTrips() throws Exception {
        StoreState state = new StoreState(Map.of(A.toString(), new StoreState.ImageRecord(B, MediaTypes.OCI_MANIFEST,
                "2026-01-01T00:00:00Z")), Map.of("docker.io/library/busybox:latest", A), new TreeSet<>(List.of(B)));
        assertThat(Json.read(Json.bytes(state), StoreState.class, "state")).isEqualTo(state);
        assertThat(Json.read("{}".getBytes(StandardCharsets.UTF_8), StoreState.class, "state"))
                .isEqualTo(StoreState.empty());
    }

    @Test
    void readsADockerConfigWithNullsAndUnknownFields() throws Exception {
        String json = """
                {"architecture":"amd64","os":"linux","container":"abc","docker_version":"24.0.5",
                 "config":{"Hostname":"","User":"","Env":["PATH=/bin"],"Cmd":["sh"],"Entrypoint":null,
                  "Labels":null,"OnBuild":null,"Volumes":null,"WorkingDir":"","Image":"sha256:x"},
                 "rootfs":{"type":"layers","diff_ids":["%s"]},
                 "history":[{"created":"2024-01-01T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD file"},
                  {"created":"2024-01-01T00:00:00Z","created_by":"/bin/sh -c #(nop) CMD sh","empty_layer":true}]}
                """.formatted(A);
        ImageConfig config = Json.read(json.getBytes(StandardCharsets.UTF_8), ImageConfig.class, "config");
        assertThat(config.configOrEmpty().entrypoint()).isNull();
        assertThat(config.configOrEmpty().cmd()).containsExactly("sh");
        assertThat(config.diffIds()).containsExactly(A);
        assertThat(config.history()).extracting(ImageConfig.History::isEmptyLayer).containsExactly(false, true);
    }

    @Test
    void nullEntriesInTheStoresMetadataAreOneLineErrors() {
        assertThatThrownBy(() -> Json.read(("{\"images\":{\"" + A + "\":null}}").getBytes(StandardCharsets.UTF_8),
                StoreState.class, "state s"))
                .isInstanceOf(ImageException.class).hasMessage("invalid state s: field images." + A
                        + ": expected an object, got null");
        assertThatThrownBy(() -> Json.read("{\"references\":{\"x\":null}}".getBytes(StandardCharsets.UTF_8),
                StoreState.class, "state s"))
                .isInstanceOf(ImageException.class).hasMessage("invalid state s: field references.x: expected a digest, got null");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String json = "{\"schemaVersion\":2,\"future\":{\"a\":[1,2]},\"layers\":[]}";
        assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), Manifest.class, "manifest").schemaVersion())
                .isEqualTo(2);
    }

    @Test
    void wrongTypesAndBadDigestsAreOneLineErrorsNamingTheField() {
        assertThatThrownBy(() -> Json.read("{\"layers\":[{\"size\":\"12\"}]}".getBytes(StandardCharsets.UTF_8),
                Manifest.class, "manifest m"))
                .isInstanceOf(ImageException.class)
                .hasMessage("invalid manifest m: field layers[0].size: expected an integer, got a string");
        assertThatThrownBy(() -> Json.read("{\"rootfs\":{\"diff_ids\":[\"sha256:zz\"]}}".getBytes(StandardCharsets.UTF_8),
                ImageConfig.class, "config c"))
                .isInstanceOf(ImageException.class).hasMessageStartingWith("invalid config c: invalid sha256 digest");
        assertThatThrownBy(() -> Json.read("[1]".getBytes(StandardCharsets.UTF_8), StoreState.class, "state s"))
                .isInstanceOf(ImageException.class).hasMessage("invalid state s: field (document): expected an object, got an array");
        assertThatThrownBy(() -> Json.read("{\"a\":".getBytes(StandardCharsets.UTF_8), Index.class, "index i"))
                .isInstanceOf(ImageException.class).hasMessageStartingWith("invalid index i: ").message().doesNotContain("\n");
    }
}
