package dev.vessel.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push and pull against a real docker-registry, checked with skopeo where a peer tool can say. */
class RegistryPullPushTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private RegistrySettings settings() {
        return new RegistrySettings(tmp.resolve("auth.json"), List.of(tmp.resolve("certs.d")), List.of());
    }

    private RegistryClient connect(String registry, boolean tlsVerify, Credentials credentials) throws IOException {
        return RegistryClient.connect(registry, tlsVerify, credentials, settings(), Retry.DEFAULT);
    }

    private Puller.Result pull(Path root, String reference, boolean tlsVerify, Platform platform) throws IOException {
        ImageReference ref = ImageReference.parse(reference);
        try (RegistryClient client = connect(ref.domain(), tlsVerify, null)) {
            return new Puller(ImageStore.open(root), client, 4).pull(ref, platform, TransferListener.NONE);
        }
    }

    private Pusher.Result push(Path root, String local, String destination, boolean tlsVerify, Credentials credentials) throws IOException {
        ImageReference ref = ImageReference.parse(destination);
        ImageStore store = ImageStore.open(root);
        try (RegistryClient client = connect(ref.domain(), tlsVerify, credentials)) {
            return new Pusher(store, client, 4).push(store.resolve(local), ref, TransferListener.NONE);
        }
    }

    private static String skopeoRaw(String reference) throws Exception {
        return Tools.run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + reference);
    }

    @Test
    void imagePushedByVesselIsInspectedAndCopiedBySkopeoWithTheSameDigests() throws Exception {
        Tools.require("skopeo");
        TestImage image = TestImage.random(1, 3, 200_000, false, "amd64");
        Path root = tmp.resolve("root");
        image.store(ImageStore.open(root), "localhost/app:1");
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"))) {
            Pusher.Result result = push(root, "localhost/app:1", registry.host() + "/team/app:1", false, null);
            assertThat(result.uploaded()).isEqualTo(4);
            assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());

            assertThat(skopeoRaw(registry.host() + "/team/app:1").getBytes(StandardCharsets.UTF_8)).isEqualTo(image.manifest());
            JsonNode inspect = JSON.readTree(Tools.run("skopeo", "inspect", "--tls-verify=false", "docker://" + registry.host() + "/team/app:1"));
            assertThat(inspect.path("Digest").asText()).isEqualTo(image.manifestDigest().toString());
            assertThat(inspect.path("Layers").get(0).asText()).isEqualTo(dev.vessel.image.Digest.of(image.layers().get(0)).toString());

            Path copy = tmp.resolve("copy");
            Tools.run("skopeo", "copy", "--src-tls-verify=false", "docker://" + registry.host() + "/team/app:1", "oci:" + copy + ":1");
            JsonNode index = JSON.readTree(copy.resolve("index.json").toFile());
            assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(image.manifestDigest().toString());
            assertThat(Files.readAllBytes(copy.resolve("blobs/sha256").resolve(image.configDigest().hex()))).isEqualTo(image.config());

            // A second push finds every blob there already.
            Pusher.Result again = push(root, "localhost/app:1", registry.host() + "/team/app:1", false, null);
            assertThat(again.uploaded()).isZero();
            assertThat(again.existed()).isEqualTo(4);
        }
    }

    @Test
    void imagePushedBySkopeoIsPulledIntoTheStore() throws Exception {
        Tools.require("skopeo");
        TestImage image = TestImage.random(2, 2, 300_000, false, "amd64");
        Path layout = tmp.resolve("layout");
        image.writeLayout(layout, "v1");
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"))) {
            // skopeo converts to Docker schema 2 on the way, so both manifest types are pulled across the tests.
            Tools.run("skopeo", "copy", "--format", "v2s2", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                    "docker://" + registry.host() + "/lib/tool:v1");
            byte[] raw = skopeoRaw(registry.host() + "/lib/tool:v1").getBytes(StandardCharsets.UTF_8);
            assertThat(JSON.readTree(raw).path("mediaType").asText()).isEqualTo(dev.vessel.image.oci.MediaTypes.DOCKER_MANIFEST);
            Path root = tmp.resolve("root");
            Puller.Result result = pull(root, registry.host() + "/lib/tool:v1", false, Platform.DEFAULT);
            assertThat(result.manifestDigest()).isEqualTo(dev.vessel.image.Digest.of(raw));
            ImageStore store = ImageStore.open(root);
            Image stored = store.resolve(registry.host() + "/lib/tool:v1");
            assertThat(stored.id().toString()).isEqualTo(JSON.readTree(raw).path("config").path("digest").asText());
            assertThat(store.readBlob(stored.manifestDigest())).isEqualTo(raw);
            for (byte[] layer : image.layers()) {
                assertThat(store.readBlob(dev.vessel.image.Digest.of(layer))).isEqualTo(layer);
            }
            // Pulling again downloads nothing.
            assertThat(pull(root, registry.host() + "/lib/tool:v1", false, Platform.DEFAULT).upToDate()).isTrue();
            // By digest.
            Path other = tmp.resolve("other");
            Puller.Result byDigest = pull(other, registry.host() + "/lib/tool@" + result.manifestDigest(), false, Platform.DEFAULT);
            assertThat(byDigest.image().id()).isEqualTo(stored.id());
        }
    }

    @Test
    void multiArchIndexPushedBySkopeoResolvesToThePlatformsImage() throws Exception {
        Tools.require("skopeo");
        TestImage amd64 = TestImage.random(3, 1, 50_000, false, "amd64");
        TestImage arm64 = TestImage.random(4, 1, 50_000, false, "arm64");
        Path layout = tmp.resolve("layout");
        TestImage.writeMultiArchLayout(layout, "multi", List.of(arm64, amd64), List.of("arm64", "amd64"));
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"))) {
            Tools.run("skopeo", "copy", "--all", "--dest-tls-verify=false", "oci:" + layout + ":multi",
                    "docker://" + registry.host() + "/multi/app:latest");
            String name = registry.host() + "/multi/app";
            assertThat(pull(tmp.resolve("a"), name, false, Platform.DEFAULT).manifestDigest()).isEqualTo(amd64.manifestDigest());
            assertThat(pull(tmp.resolve("b"), name, false, Platform.parse("linux/arm64")).image().id()).isEqualTo(arm64.configDigest());
            assertThatThrownBy(() -> pull(tmp.resolve("c"), name, false, Platform.parse("linux/s390x")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("no image for platform linux/s390x")
                    .hasMessageContaining("linux/arm64, linux/amd64");
            assertThat(ImageStore.open(tmp.resolve("c")).images()).isEmpty();
        }
    }

    @Test
    void corruptedBlobFailsWithADigestErrorAndLeavesTheStoreUntouched() throws Exception {
        TestImage image = TestImage.random(5, 2, 100_000, false, "amd64");
        Path source = tmp.resolve("source");
        image.store(ImageStore.open(source), "localhost/app:1");
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"));
             FaultProxy proxy = FaultProxy.start(registry.host(), FaultProxy.Fault.CORRUPT)) {
            push(source, "localhost/app:1", registry.host() + "/app:1", false, null);
            Path root = tmp.resolve("root");
            assertThatThrownBy(() -> pull(root, proxy.host() + "/app:1", false, Platform.DEFAULT))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("digest mismatch")
                    .satisfies(e -> assertThat(((RegistryException) e).kind()).isEqualTo(RegistryException.Kind.DIGEST_MISMATCH));
            assertThat(ImageStore.open(root).images()).isEmpty();
            assertThat(regularFiles(root.resolve("blobs"))).isEmpty();
            assertThat(regularFiles(root.resolve("tmp"))).isEmpty();
        }
    }

    @Test
    void droppedConnectionMidBlobIsResumedWithRange() throws Exception {
        TestImage image = TestImage.random(6, 2, 400_000, false, "amd64");
        Path source = tmp.resolve("source");
        image.store(ImageStore.open(source), "localhost/app:1");
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"));
             FaultProxy proxy = FaultProxy.start(registry.host(), FaultProxy.Fault.DROP)) {
            push(source, "localhost/app:1", registry.host() + "/app:1", false, null);
            Path root = tmp.resolve("root");
            Puller.Result result = pull(root, proxy.host() + "/app:1", false, Platform.DEFAULT);
            assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
            ImageStore store = ImageStore.open(root);
            for (byte[] layer : image.layers()) {
                assertThat(store.readBlob(dev.vessel.image.Digest.of(layer))).isEqualTo(layer);
            }
            assertThat(proxy.blobRequests).anySatisfy(request -> assertThat(request).contains("bytes="));
        }
    }

    @Test
    void serverErrorsAreRetried() throws Exception {
        TestImage image = TestImage.random(8, 2, 100_000, false, "amd64");
        Path source = tmp.resolve("source");
        image.store(ImageStore.open(source), "localhost/app:1");
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"));
             FaultProxy proxy = FaultProxy.start(registry.host(), FaultProxy.Fault.UNAVAILABLE)) {
            push(source, "localhost/app:1", registry.host() + "/app:1", false, null);
            Puller.Result result = pull(tmp.resolve("root"), proxy.host() + "/app:1", false, Platform.DEFAULT);
            assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
            assertThat(ImageStore.open(tmp.resolve("root")).resolve(proxy.host() + "/app:1").id()).isEqualTo(image.configDigest());
        }
    }

    @Test
    void chunkedUploadAndCrossRepositoryMount() throws Exception {
        Tools.require("skopeo");
        TestImage image = TestImage.random(7, 2, 300_000, false, "amd64");
        Path root = tmp.resolve("root");
        ImageStore store = ImageStore.open(root);
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"))) {
            image.store(store, registry.host() + "/first/app:1");
            ImageReference first = ImageReference.parse(registry.host() + "/first/app:1");
            try (RegistryClient client = connect(registry.host(), false, null)) {
                client.chunkSize(64 * 1024);
                Pusher.Result chunked = new Pusher(store, client, 2).push(store.resolve(first.toString()), first, TransferListener.NONE);
                assertThat(chunked.uploaded()).isEqualTo(3);
            }
            assertThat(skopeoRaw(first.toString()).getBytes(StandardCharsets.UTF_8)).isEqualTo(image.manifest());
            Tools.run("skopeo", "copy", "--src-tls-verify=false", "docker://" + first, "oci:" + tmp.resolve("check") + ":1");

            Pusher.Result mounted = push(root, first.toString(), registry.host() + "/second/app:1", false, null);
            assertThat(mounted.mounted()).isEqualTo(3);
            assertThat(mounted.uploaded()).isZero();
            assertThat(skopeoRaw(registry.host() + "/second/app:1").getBytes(StandardCharsets.UTF_8)).isEqualTo(image.manifest());
        }
    }

    @Test
    void unknownImageIsAClearNotFound() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"))) {
            assertThatThrownBy(() -> pull(tmp.resolve("root"), registry.host() + "/no/such:1", false, Platform.DEFAULT))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("not found: manifest no/such:1");
        }
    }

    static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
