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

    /** A binary xattr value (not valid UTF-8, with a NUL) comes out byte for byte. */
    @Test
    void keepsBinaryXattrValuesExactly() throws Exception {
        byte[] value = {0x01, 0x00, (byte) 0xff, (byte) 0xfe, 0x02, (byte) 0x80};
        java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
        byte[] key = "SCHILY.xattr.user.binary=".getBytes(StandardCharsets.US_ASCII);
        int length = key.length + value.length + 1;
        // the length prefix counts itself: find the fixed point
        int total = length + Integer.toString(length).length() + 1;
        total = length + Integer.toString(total).length() + 1;
        record.writeBytes((total + " ").getBytes(StandardCharsets.US_ASCII));
        record.writeBytes(key);
        record.writeBytes(value);
        record.write('\n');
        byte[] pax = record.toByteArray();
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        tar.writeBytes(ustarHeader("PaxHeaders/cap", pax.length, (byte) 'x'));
        tar.writeBytes(java.util.Arrays.copyOf(pax, (pax.length + 511) / 512 * 512));
        byte[] content = "x".getBytes(StandardCharsets.US_ASCII);
        tar.writeBytes(ustarHeader("cap", content.length, (byte) '0'));
        tar.writeBytes(java.util.Arrays.copyOf(content, 512));
        tar.writeBytes(new byte[1024]);
        unpack(tar.toByteArray());
        assertThat(FileCalls.lgetxattr(dir.resolve("cap").toString(), "user.binary")).containsExactly(value);
    }

    /** One ustar header block, checksum included. */
    private static byte[] ustarHeader(String name, long size, byte type) {
        byte[] block = new byte[512];
        put(block, 0, name);
        put(block, 100, "0000644");
        put(block, 108, "0000000");
        put(block, 116, "0000000");
        put(block, 124, String.format("%011o", size));
        put(block, 136, String.format("%011o", 1_600_000_000L));
        block[156] = type;
        put(block, 257, "ustar");
        put(block, 263, "00");
        java.util.Arrays.fill(block, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        put(block, 148, String.format("%06o", sum));
        block[154] = 0;
        return block;
    }

    private static void put(byte[] block, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, block, offset, bytes.length);
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
