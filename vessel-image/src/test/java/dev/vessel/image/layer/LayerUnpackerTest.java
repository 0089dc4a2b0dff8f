package dev.vessel.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.image.Digest;
import dev.vessel.image.ImageException;
import dev.vessel.image.TarBuilder;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.os.FileCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "unpacking owners, devices and whiteouts needs root");
    }

    private void unpack(byte[] tar) throws Exception {
        new LayerUnpacker(dir).unpack(new ByteArrayInputStream(tar), MediaTypes.OCI_LAYER, Digest.of(tar));
    }

    private static Object attr(Path p, String name) throws Exception {
        return Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void keepsEveryKindOfEntryWithOwnersModesTimesAndXattrs() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("bin", 0755)
                .file("bin/tool", "tool".getBytes(), 04755, 1000, 1001, Map.of("SCHILY.xattr.user.note", "hello"))
                .hardlink("bin/tool2", "bin/tool")
                .symlink("bin/sh", "/bin/tool")
                .charDevice("dev/null", 1, 3)
                .fifo("run/pipe")
                .file("etc/hosts", "127.0.0.1 localhost\n")
                .build();
        unpack(tar);
        Path tool = dir.resolve("bin/tool");
        assertThat(Files.readString(tool)).isEqualTo("tool");
        assertThat(attr(tool, "mode")).isEqualTo(0104755);
        assertThat(attr(tool, "uid")).isEqualTo(1000);
        assertThat(attr(tool, "gid")).isEqualTo(1001);
        assertThat(new String(FileCalls.lgetxattr(tool.toString(), "user.note"), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(Files.getLastModifiedTime(tool)).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
        assertThat(attr(dir.resolve("bin/tool2"), "ino")).isEqualTo(attr(tool, "ino"));
        assertThat(attr(tool, "nlink")).isEqualTo(2);
        assertThat(Files.readSymbolicLink(dir.resolve("bin/sh"))).isEqualTo(Path.of("/bin/tool"));
        long rdev = (long) attr(dir.resolve("dev/null"), "rdev");
        assertThat(FileCalls.major(rdev)).isEqualTo(1);
        assertThat(FileCalls.minor(rdev)).isEqualTo(3);
        assertThat(((int) attr(dir.resolve("dev/null"), "mode")) & 0170000).isEqualTo(FileCalls.S_IFCHR);
        assertThat(((int) attr(dir.resolve("run/pipe"), "mode")) & 0170000).isEqualTo(FileCalls.S_IFIFO);
        assertThat(Files.getLastModifiedTime(dir.resolve("bin"))).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
    }

    @Test
    void whiteoutsBecomeOverlayWhiteouts() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("etc", 0755)
                .file("etc/.wh.motd", "")
                .dir("var/cache", 0755)
                .file("var/cache/.wh..wh..opq", "")
                .build();
        unpack(tar);
        Path motd = dir.resolve("etc/motd");
        assertThat(((int) attr(motd, "mode")) & 0170000).isEqualTo(FileCalls.S_IFCHR);
        assertThat((long) attr(motd, "rdev")).isZero();
        assertThat(Files.exists(dir.resolve("etc/.wh.motd"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(FileCalls.lgetxattr(dir.resolve("var/cache").toString(), "trusted.overlay.opaque"))
                .isEqualTo("y".getBytes());
        assertThat(dir.resolve("var/cache")).isEmptyDirectory();
    }

    @Test
    void gzipAndZstdLayersUnpack() throws Exception {
        byte[] tar = new TarBuilder().file("a", "compressed").build();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        new LayerUnpacker(dir).unpack(new ByteArrayInputStream(gz.toByteArray()), MediaTypes.OCI_LAYER_GZIP, Digest.of(tar));
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("compressed");
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (var out = new io.airlift.compress.zstd.ZstdOutputStream(zst)) {
            out.write(tar);
        }
        Path other = dir.resolve("z");
        Files.createDirectory(other);
        new LayerUnpacker(other).unpack(new ByteArrayInputStream(zst.toByteArray()), MediaTypes.OCI_LAYER_ZSTD, Digest.of(tar));
        assertThat(Files.readString(other.resolve("a"))).isEqualTo("compressed");
    }

    @Test
    void refusesDotDotTraversal() {
        byte[] tar = new TarBuilder().file("a/../../evil", "x").build();
        assertThatThrownBy(() -> unpack(tar)).isInstanceOf(ImageException.class)
                .hasMessageContaining("refused entry a/../../evil");
        assertThat(Files.exists(dir.getParent().resolve("evil"))).isFalse();
    }

    @Test
    void refusesWritingThroughASymlinkedParent() throws Exception {
        Path outside = Files.createTempDirectory("outside");
        try {
            byte[] tar = new TarBuilder().symlink("escape", outside.toString()).file("escape/pwned", "x").build();
            assertThatThrownBy(() -> unpack(tar)).isInstanceOf(ImageException.class)
                    .hasMessageContaining("symbolic link escape");
            assertThat(outside).isEmptyDirectory();
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void replacingASymlinkNeverWritesThroughIt() throws Exception {
        Path outside = Files.createTempFile("outside", "");
        try {
            byte[] tar = new TarBuilder().symlink("f", outside.toString()).file("f", "replaced").build();
            unpack(tar);
            assertThat(Files.readString(outside)).isEmpty();
            assertThat(Files.isSymbolicLink(dir.resolve("f"))).isFalse();
            assertThat(Files.readString(dir.resolve("f"))).isEqualTo("replaced");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void refusesHardLinksLeavingTheLayer() {
        byte[] up = new TarBuilder().hardlink("passwd", "../../../../etc/passwd").build();
        assertThatThrownBy(() -> unpack(up)).hasMessageContaining("refused entry passwd");
        byte[] absolute = new TarBuilder().hardlink("passwd", "/etc/passwd").build();
        assertThatThrownBy(() -> unpack(absolute)).hasMessageContaining("does not contain");
    }

    @Test
    void refusesContentNotMatchingTheDiffId() {
        byte[] tar = new TarBuilder().file("a", "x").build();
        assertThatThrownBy(() -> new LayerUnpacker(dir).unpack(new ByteArrayInputStream(tar), MediaTypes.OCI_LAYER,
                Digest.of("other"))).hasMessageContaining("not its diff ID");
    }
}
