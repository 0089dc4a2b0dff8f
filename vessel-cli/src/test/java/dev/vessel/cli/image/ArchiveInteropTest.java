package dev.vessel.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.image.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Archives written by Vessel are read by skopeo and the other way round. */
class ArchiveInteropTest extends ImageTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    String id;
    String diffId;

    @BeforeEach
    void image() throws Exception {
        assumeTrue(onPath("skopeo"), "needs skopeo (apt-get install skopeo)");
        id = importBusybox("busybox", "CMD [\"sh\"]", "ENV A=1");
        diffId = JSON.readTree(ok("image", "inspect", "busybox").out()).get(0).get("RootFS").get("Layers").get(0).asText();
    }

    @Test
    void skopeoReadsVesselsDockerArchiveWithTheSameDigests() throws Exception {
        Path archive = tmp.resolve("d.tar");
        ok("save", "-o", archive.toString(), "busybox");
        JsonNode manifest = JSON.readTree(run("skopeo", "inspect", "--raw", "docker-archive:" + archive));
        assertThat(manifest.get("config").get("digest").asText()).isEqualTo(id);
        assertThat(manifest.get("layers").get(0).get("digest").asText()).isEqualTo(diffId);
        JsonNode inspect = JSON.readTree(run("skopeo", "inspect", "docker-archive:" + archive));
        assertThat(inspect.get("Env").get(0).asText()).isEqualTo("A=1");
    }

    @Test
    void skopeoReadsVesselsOciArchiveWithTheSameDigests() throws Exception {
        Path archive = tmp.resolve("o.tar");
        ok("save", "--format", "oci-archive", "-o", archive.toString(), "busybox");
        JsonNode manifest = JSON.readTree(run("skopeo", "inspect", "--raw", "oci-archive:" + archive));
        assertThat(manifest.get("config").get("digest").asText()).isEqualTo(id);
        assertThat(manifest.get("layers").get(0).get("digest").asText()).isEqualTo(diffId);
        JsonNode config = JSON.readTree(run("skopeo", "inspect", "--config", "oci-archive:" + archive));
        assertThat(config.get("config").get("Cmd").get(0).asText()).isEqualTo("sh");
    }

    @Test
    void loadsWhatSkopeoWritesInEveryFormatAndCompression() throws Exception {
        Path ours = tmp.resolve("ours.tar");
        ok("save", "-o", ours.toString(), "busybox");
        String src = "docker-archive:" + ours;
        run("skopeo", "copy", "-q", src, "docker-archive:" + tmp.resolve("d.tar") + ":skopeo/d:1");
        run("skopeo", "copy", "-q", "--dest-compress", "--dest-compress-format", "gzip", src,
                "oci-archive:" + tmp.resolve("o.tar") + ":skopeo/o:2");
        run("skopeo", "copy", "-q", "--dest-compress", "--dest-compress-format", "zstd", src,
                "oci:" + tmp.resolve("layout") + ":skopeo/l:3");
        Path fresh = tmp.resolve("fresh");
        for (String input : new String[] {"d.tar", "o.tar", "layout"}) {
            var run = vesselAt(fresh, "load", "-i", tmp.resolve(input).toString());
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("Loaded image: skopeo/");
        }
        String[] written = {"docker-archive:" + tmp.resolve("d.tar"), "oci-archive:" + tmp.resolve("o.tar"),
            "oci:" + tmp.resolve("layout") + ":skopeo/l:3"};
        String[] names = {"skopeo/d:1", "skopeo/o:2", "skopeo/l:3"};
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            JsonNode image = JSON.readTree(vesselAt(fresh, "image", "inspect", name).out()).get(0);
            // skopeo may rewrite the config when it converts (its blob cache decides), so compare with
            // the config it wrote, which Vessel must load as it is.
            String skopeoConfig = JSON.readTree(run("skopeo", "inspect", "--raw", written[i])).get("config").get("digest").asText();
            assertThat(image.get("Id").asText()).as(name).isEqualTo(skopeoConfig);
            assertThat(image.get("RootFS").get("Layers").get(0).asText()).isEqualTo(diffId);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            ImageStore store = ImageStore.open(fresh);
            Path layer = store.layerDirectories(store.resolve("skopeo/l:3")).getFirst();
            assertThat(Files.mismatch(layer.resolve("bin/busybox"), TestImages.BUSYBOX)).isEqualTo(-1L);
        }
    }

    @Test
    void loadsFromStdinAndGzipCompressedArchives() throws Exception {
        Path ours = tmp.resolve("ours.tar");
        ok("save", "-o", ours.toString(), "busybox");
        Path gz = tmp.resolve("ours.tar.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(ours, out);
        }
        var in = System.in;
        try (var stream = Files.newInputStream(gz)) {
            System.setIn(stream);
            var run = vesselAt(tmp.resolve("fresh"), "load");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo("Loaded image: busybox:latest\n");
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void unpackedLayerMatchesWhatUmociUnpacks() throws Exception {
        assumeTrue(onPath("umoci"), "needs umoci (apt-get install umoci)");
        assumeTrue("root".equals(System.getProperty("user.name")), "unpacking owners needs root");
        Path ours = tmp.resolve("ours.tar");
        ok("save", "-o", ours.toString(), "busybox");
        Path layout = tmp.resolve("layout");
        run("skopeo", "copy", "-q", "docker-archive:" + ours, "oci:" + layout + ":bb");
        Path umociRootfs = tmp.resolve("umoci-rootfs");
        run("umoci", "raw", "unpack", "--image", layout + ":bb", umociRootfs.toString());
        ImageStore store = ImageStore.open(root);
        Path layer = store.layerDirectories(store.resolve("busybox")).getFirst();
        assertThat(tree(layer)).isEqualTo(tree(umociRootfs)).isNotEmpty();
    }

    /** Each path's type, mode, owner, size, link target, content hash, mtime and link count. */
    private static java.util.TreeMap<String, String> tree(Path dir) throws Exception {
        java.util.TreeMap<String, String> result = new java.util.TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                if (p.equals(dir)) {
                    continue;
                }
                var attrs = Files.readAttributes(p, "unix:mode,uid,gid,size,nlink,lastModifiedTime",
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                StringBuilder b = new StringBuilder(Integer.toOctalString((int) attrs.get("mode")))
                        .append(' ').append(attrs.get("uid")).append(':').append(attrs.get("gid"))
                        .append(" nlink=").append(attrs.get("nlink"));
                if (Files.isSymbolicLink(p)) {
                    b.append(" -> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    b.append(" size=").append(attrs.get("size")).append(' ').append(TestImages.sha256(Files.readAllBytes(p)))
                            .append(" mtime=").append(attrs.get("lastModifiedTime"));
                }
                result.put(dir.relativize(p).toString(), b.toString());
            }
        }
        return result;
    }

    @Test
    void saveLoadSaveIsByteIdentical() throws Exception {
        for (String format : new String[] {"docker-archive", "oci-archive"}) {
            Path first = tmp.resolve("first-" + format + ".tar");
            Path second = tmp.resolve("second-" + format + ".tar");
            ok("save", "--format", format, "-o", first.toString(), "busybox");
            Path fresh = tmp.resolve("fresh-" + format);
            assertThat(vesselAt(fresh, "load", "-i", first.toString()).status()).isZero();
            assertThat(vesselAt(fresh, "save", "--format", format, "-o", second.toString(), "busybox").status()).isZero();
            assertThat(Files.mismatch(first, second)).as(format).isEqualTo(-1L);
        }
    }
}
