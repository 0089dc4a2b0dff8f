package dev.vessel.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad input: a one-line error naming the problem, a non-zero exit, and a store left exactly as it was. */
class BadInputTest extends ImageTestBase {
    TreeMap<String, String> before;
    byte[] ociArchive;
    String layerHex;

    @BeforeEach
    void storeWithAnImage() throws Exception {
        importBusybox("busybox");
        Path saved = tmp.resolve("saved.tar");
        ok("save", "--format", "oci-archive", "-o", saved.toString(), "busybox");
        ociArchive = Files.readAllBytes(saved);
        String inspect = ok("image", "inspect", "--format", "{{json .RootFS.Layers}}", "busybox").out();
        layerHex = inspect.substring(inspect.indexOf("sha256:") + 7, inspect.indexOf("sha256:") + 71);
        ok("rmi", "busybox");
        importBusybox("busybox");
        before = TestImages.snapshot(root);
    }

    private void assertRefused(String expected, String... args) throws Exception {
        CliRun run = vessel(args);
        assertThat(run.status()).as(run.out()).isNotZero();
        assertThat(run.err().lines().toList()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("vessel: ").contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(TestImages.snapshot(root)).as("store after: vessel " + String.join(" ", args)).isEqualTo(before);
    }

    private String file(String name, byte[] content) throws Exception {
        Path path = tmp.resolve(name);
        Files.write(path, content);
        return path.toString();
    }

    @Test
    void traversalInALayerIsRefused() throws Exception {
        byte[] layer = new TestImages.Tar().file("../../evil", "x").bytes();
        assertRefused("refused entry ../../evil", "load", "-i", file("a.tar", TestImages.dockerArchive("evil:1", layer)));
        assertRefused("refused entry ../../evil", "import", file("l.tar", layer), "evil:2");
        assertThat(Files.exists(root.getParent().getParent().resolve("evil"))).isFalse();
    }

    @Test
    void symlinkEscapeIsRefused() throws Exception {
        byte[] layer = new TestImages.Tar().link("escape", "/", false).file("escape/etc/evil", "x").bytes();
        assertRefused("symbolic link escape", "load", "-i", file("a.tar", TestImages.dockerArchive("evil:1", layer)));
    }

    @Test
    void hardLinkEscapeIsRefused() throws Exception {
        byte[] up = new TestImages.Tar().link("passwd", "../../../etc/passwd", true).bytes();
        assertRefused("refused entry passwd", "load", "-i", file("a.tar", TestImages.dockerArchive("evil:1", up)));
        byte[] absolute = new TestImages.Tar().link("passwd", "/etc/passwd", true).bytes();
        assertRefused("does not contain", "load", "-i", file("b.tar", TestImages.dockerArchive("evil:2", absolute)));
    }

    @Test
    void blobNotMatchingItsDigestIsRefused() throws Exception {
        byte[] tampered = TestImages.rewrite(ociArchive, (name, content) -> {
            if (name.endsWith(layerHex)) {
                byte[] copy = Arrays.copyOf(content, content.length);
                copy[copy.length / 2] ^= 1;
                return copy;
            }
            return content;
        });
        assertRefused("digest mismatch", "load", "-i", file("t.tar", tampered));
    }

    @Test
    void truncatedArchiveIsRefused() throws Exception {
        byte[] cut = Arrays.copyOf(ociArchive, ociArchive.length / 2);
        assertRefused("truncated", "load", "-i", file("cut.tar", cut));
    }

    @Test
    void manifestNamingAMissingBlobIsRefused() throws Exception {
        byte[] missing = TestImages.rewrite(ociArchive, (name, content) -> name.endsWith(layerHex) ? null : content);
        assertRefused("missing blob sha256:" + layerHex, "load", "-i", file("m.tar", missing));
    }

    @Test
    void notAnArchiveIsRefused() throws Exception {
        assertRefused("not", "load", "-i", file("junk.tar", "this is not a tar".repeat(100).getBytes(StandardCharsets.UTF_8)));
        assertRefused("no such file", "load", "-i", tmp.resolve("absent.tar").toString());
        assertRefused("not an image archive", "load", "-i", file("plain.tar", new TestImages.Tar().file("a", "b").bytes()));
    }

    @Test
    void unknownReferenceIsRefused() throws Exception {
        assertRefused("No such image: nothere:1", "image", "inspect", "nothere:1");
        assertRefused("No such image: nothere:1", "save", "-o", tmp.resolve("x.tar").toString(), "nothere:1");
        assertRefused("No such image: nothere:1", "rmi", "nothere:1");
        assertRefused("No such image: nothere:1", "tag", "nothere:1", "x:1");
        assertRefused("No such image: nothere:1", "history", "nothere:1");
        assertRefused("invalid reference format", "tag", "busybox", "Bad:Name");
        assertThat(Files.exists(tmp.resolve("x.tar"))).isFalse();
    }
}
