package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
    @TempDir
    Path root;

    private static final byte[] CONFIG = """
            {"architecture":"amd64","os":"linux","config":{"Env":["A=1"],"Cmd":["sh"]},\
            "rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}""".formatted("0".repeat(64))
            .getBytes(StandardCharsets.UTF_8);

    private Image addImage(ImageStore store, byte[] layer, String tag) throws Exception {
        try (StoreWriter writer = store.writer()) {
            Descriptor l = writer.putBlob(new ByteArrayInputStream(layer), MediaTypes.OCI_LAYER, Digest.of(layer), layer.length);
            Descriptor c = writer.putBlob(CONFIG, MediaTypes.OCI_CONFIG);
            Image image = writer.putImage(Json.bytes(Manifest.oci(c, List.of(l))));
            writer.tag(ImageReference.parse(tag), image.manifestDigest());
            writer.commit();
            return image;
        }
    }

    @Test
    void largeBlobIsIntactWhileFlushedEarlyAsItIsWritten() throws Exception {
        // 80 MiB in odd-sized reads: early flushes at 32 and 64 MiB run while writing goes on.
        byte[] layer = new byte[80 << 20];
        new java.util.Random(7).nextBytes(layer);
        InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(layer)) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(len, 300_001));
            }
        };
        ImageStore store = ImageStore.open(root);
        try (StoreWriter writer = store.writer()) {
            Descriptor stored = writer.putBlob(trickle, MediaTypes.OCI_LAYER, Digest.of(layer), layer.length);
            assertThat(stored.size()).isEqualTo(layer.length);
            try (InputStream in = writer.openBlob(Digest.of(layer))) {
                assertThat(in.readAllBytes()).isEqualTo(layer);
            }
        }
    }

    @Test
    void storesResolvesAndReadsAnImage() throws Exception {
        ImageStore store = ImageStore.open(root);
        Image image = addImage(store, "layer".getBytes(), "busybox");
        assertThat(image.id()).isEqualTo(Digest.of(CONFIG));
        Image resolved = store.resolve("docker.io/library/busybox:latest");
        assertThat(resolved.manifestDigest()).isEqualTo(image.manifestDigest());
        assertThat(resolved.tags()).extracting(ImageReference::toString).containsExactly("docker.io/library/busybox:latest");
        assertThat(store.resolve(image.id().hex().substring(0, 6)).id()).isEqualTo(image.id());
        assertThat(store.resolve("busybox@" + image.manifestDigest()).id()).isEqualTo(image.id());
        assertThat(store.config(resolved).configOrEmpty().env()).containsExactly("A=1");
        assertThat(store.manifest(resolved).layers()).hasSize(1);
        assertThat(Files.exists(root.resolve("blobs/sha256/" + Digest.of("layer".getBytes()).hex()))).isTrue();
        assertThatThrownBy(() -> store.resolve("nothere")).isInstanceOf(ImageNotFoundException.class)
                .hasMessage("No such image: nothere");
    }

    @Test
    void mismatchedBlobLeavesNothing() throws Exception {
        ImageStore store = ImageStore.open(root);
        try (StoreWriter writer = store.writer()) {
            assertThatThrownBy(() -> writer.putBlob(new ByteArrayInputStream("abc".getBytes()), MediaTypes.OCI_LAYER,
                    Digest.of("abd"), -1)).hasMessageContaining("digest mismatch");
            assertThat(writer.hasBlob(Digest.of("abc"))).isFalse();
        }
        assertThat(Files.exists(root.resolve("blobs"))).isFalse();
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void uncommittedWriteIsInvisibleAndStaleStagingIsCleaned() throws Exception {
        ImageStore store = ImageStore.open(root);
        Path stale = root.resolve("tmp/image-crashed/blobs");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("x"), "partial");
        try (StoreWriter writer = store.writer()) {
            writer.putBlob("abc".getBytes(), MediaTypes.OCI_LAYER);
            assertThat(store.hasBlob(Digest.of("abc"))).isFalse();
        }
        assertThat(store.hasBlob(Digest.of("abc"))).isFalse();
        assertThat(root.resolve("tmp")).isEmptyDirectory();
        assertThat(store.images()).isEmpty();
    }

    @Test
    void manifestNamingAMissingBlobIsRefused() throws Exception {
        ImageStore store = ImageStore.open(root);
        try (StoreWriter writer = store.writer()) {
            Descriptor c = writer.putBlob(CONFIG, MediaTypes.OCI_CONFIG);
            Descriptor ghost = new Descriptor(MediaTypes.OCI_LAYER, Digest.of("ghost"), 5);
            assertThatThrownBy(() -> writer.putImage(Json.bytes(Manifest.oci(c, List.of(ghost)))))
                    .hasMessage("manifest names a missing layer blob " + Digest.of("ghost"));
        }
    }

    @Test
    void corruptBlobIsDetectedOnRead() throws Exception {
        ImageStore store = ImageStore.open(root);
        Image image = addImage(store, "layer-bytes".getBytes(), "x");
        Digest layer = Digest.of("layer-bytes".getBytes());
        Files.writeString(store.blobs().path(layer), "layer-bytez");
        assertThatThrownBy(() -> {
            try (InputStream in = store.openBlob(layer)) {
                in.readAllBytes();
            }
        }).hasMessageContaining("digest mismatch");
        assertThat(image).isNotNull();
    }

    @Test
    void removingAnImageDeletesOnlyItsUnsharedBlobs() throws Exception {
        ImageStore store = ImageStore.open(root);
        Image a = addImage(store, "layer-a".getBytes(), "a");
        addImage(store, "layer-b".getBytes(), "b");
        try (StoreWriter writer = store.writer()) {
            writer.removeImage(a.manifestDigest());
            writer.commit();
        }
        assertThat(store.hasBlob(Digest.of("layer-a".getBytes()))).isFalse();
        assertThat(store.hasBlob(Digest.of("layer-b".getBytes()))).isTrue();
        assertThat(store.hasBlob(Digest.of(CONFIG))).isTrue();
        assertThat(store.images()).hasSize(1);
    }

    @Test
    void movingATagLeavesTheOldImageDangling() throws Exception {
        ImageStore store = ImageStore.open(root);
        Image a = addImage(store, "layer-a".getBytes(), "app");
        Image b = addImage(store, "layer-b".getBytes(), "app");
        assertThat(store.resolve("app").manifestDigest()).isEqualTo(b.manifestDigest());
        assertThat(store.images()).filteredOn(Image::dangling).extracting(Image::manifestDigest)
                .containsExactly(a.manifestDigest());
    }

    @Test
    void blobsCanBePutFromSeveralThreads() throws Exception {
        ImageStore store = ImageStore.open(root);
        try (StoreWriter writer = store.writer();
             var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<Descriptor>> puts = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] content = ("blob " + (i % 8)).repeat(10_000).getBytes();
                puts.add(pool.submit(() -> writer.putBlob(new ByteArrayInputStream(content), MediaTypes.OCI_LAYER,
                        Digest.of(content), content.length)));
            }
            List<Descriptor> layers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                layers.add(puts.get(i).get());
                assertThat(puts.get(i + 8).get()).isEqualTo(puts.get(i).get());
            }
            Descriptor c = writer.putBlob(CONFIG, MediaTypes.OCI_CONFIG);
            writer.putImage(Json.bytes(Manifest.oci(c, layers)));
            writer.commit();
        }
        for (int i = 0; i < 8; i++) {
            assertThat(store.readBlob(Digest.of(("blob " + i).repeat(10_000).getBytes()))).hasSize(60_000);
        }
    }
}
