package dev.vessel.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** A load killed with SIGKILL part-way leaves a store the next command reads and cleans. */
class CrashSafetyTest extends ImageTestBase {
    private static final long LAYER_BYTES = 256L << 20;

    @Test
    void sigkilledLoadLeavesNoVisiblePartialBlob() throws Exception {
        importBusybox("busybox");
        var imagesBefore = ok("images", "-q").out();
        Path big = bigDockerArchive();
        Process load = vesselProcess("load", "-i", big.toString());
        try {
            // Kill it once it is copying the big layer into its staging area.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (stagedBytes() < (32L << 20) && load.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(load.isAlive()).as("the load was still running when killed").isTrue();
        } finally {
            load.destroyForcibly(); // SIGKILL
            load.waitFor();
        }
        assertThat(stagedBytes()).as("a partial blob was staged").isPositive();
        // Readers see the store as before; no blob in blobs/ is partial.
        assertThat(ok("images", "-q").out()).isEqualTo(imagesBefore);
        assertEveryBlobMatchesItsName();
        // The next writer cleans the staging area and works.
        ok("tag", "busybox", "again:1");
        try (Stream<Path> left = Files.list(root.resolve("tmp"))) {
            assertThat(left.toList()).isEmpty();
        }
        assertEveryBlobMatchesItsName();
    }

    @Test
    void concurrentWritersInSeparateProcessesBothLand() throws Exception {
        Path a = tmp.resolve("a.tar");
        Path b = tmp.resolve("b.tar");
        Files.write(a, TestImages.busyboxRootfs());
        Files.write(b, new TestImages.Tar().file("hello", "world").bytes());
        Process first = vesselProcess("import", a.toString(), "first:1");
        Process second = vesselProcess("import", b.toString(), "second:1");
        assertThat(first.waitFor()).isZero();
        assertThat(second.waitFor()).isZero();
        String images = ok("images").out();
        assertThat(images).contains("first ").contains("second ");
        assertEveryBlobMatchesItsName();
    }

    private Process vesselProcess(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.vessel.cli.Vessel", "--root", root.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("vessel-" + System.nanoTime() + ".log").toFile()).start();
    }

    private long stagedBytes() throws IOException {
        Path staging = root.resolve("tmp");
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private void assertEveryBlobMatchesItsName() throws IOException {
        try (Stream<Path> blobs = Files.list(root.resolve("blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                assertThat(TestImages.sha256(Files.readAllBytes(blob))).isEqualTo(blob.getFileName().toString());
            }
        }
    }

    /** A docker-archive with one incompressible 256 MiB layer, written as a stream. */
    private Path bigDockerArchive() throws IOException {
        Path file = tmp.resolve("big.tar");
        byte[] chunk = new byte[1 << 20];
        SplittableRandom random = new SplittableRandom(42);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            // The layer is a tar holding one big file; the archive holds the layer.
            TarArchiveEntry layerEntry = new TarArchiveEntry("layer/layer.tar");
            layerEntry.setSize(LAYER_BYTES + 512 + 1024);
            tar.putArchiveEntry(layerEntry);
            TarArchiveOutputStream inner = new TarArchiveOutputStream(new NonClosing(tar));
            TarArchiveEntry data = new TarArchiveEntry("data");
            data.setSize(LAYER_BYTES);
            inner.putArchiveEntry(data);
            for (long written = 0; written < LAYER_BYTES; written += chunk.length) {
                random.nextBytes(chunk);
                inner.write(chunk);
            }
            inner.closeArchiveEntry();
            inner.finish();
            tar.closeArchiveEntry();
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":"
                    + "[\"sha256:" + "0".repeat(64) + "\"]}}").getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry configEntry = new TarArchiveEntry("config.json");
            configEntry.setSize(config.length);
            tar.putArchiveEntry(configEntry);
            tar.write(config);
            tar.closeArchiveEntry();
            byte[] manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"big:1\"],\"Layers\":[\"layer/layer.tar\"]}]"
                    .getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry manifestEntry = new TarArchiveEntry("manifest.json");
            manifestEntry.setSize(manifest.length);
            tar.putArchiveEntry(manifestEntry);
            tar.write(manifest);
            tar.closeArchiveEntry();
        }
        return file;
    }

    /** Lets the inner tar finish without closing the outer one. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
        }
    }
}
