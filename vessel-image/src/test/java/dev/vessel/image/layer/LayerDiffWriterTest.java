package dev.vessel.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.image.Digest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.os.FileCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extended attributes in a written layer come back byte for byte, through our unpacker and GNU tar. */
class LayerDiffWriterTest {
    private static final byte[] BINARY = {(byte) 0xff, 0x00, 0x41, (byte) 0xc3, 0x28, 0x0a, (byte) 0x80};
    private static final byte[] UTF8 = "é ✓".getBytes(StandardCharsets.UTF_8);
    private static final String LONG = "d".repeat(60) + "/" + "f".repeat(70);

    @TempDir
    Path dir;

    @Test
    void binaryAndTextXattrsSurviveWriteAndUnpack() throws Exception {
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path plain = Files.writeString(upper.resolve("plain"), "plain\n");
        FileCalls.lsetxattr(plain.toString(), "user.binary", BINARY);
        FileCalls.lsetxattr(plain.toString(), "user.text", UTF8);
        Files.createDirectories(upper.resolve(LONG).getParent());
        Path deep = Files.writeString(upper.resolve(LONG), "deep\n");
        FileCalls.lsetxattr(deep.toString(), "user.binary", BINARY);
        FileCalls.lsetxattr(upper.resolve(LONG).getParent().toString(), "user.dir", new byte[] {0, 1, 2});
        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        LayerDiffWriter.write(upper, Set.of(), null, layer);
        byte[] tar = layer.toByteArray();

        Path ours = Files.createDirectories(dir.resolve("ours"));
        new LayerUnpacker(ours).unpack(new ByteArrayInputStream(tar), MediaTypes.OCI_LAYER, Digest.of(tar));
        assertSameFiles(upper, ours);

        Path tarFile = Files.write(dir.resolve("layer.tar"), tar);
        Path gnu = Files.createDirectories(dir.resolve("gnu"));
        Process process = new ProcessBuilder("tar", "--xattrs", "--xattrs-include=user.*", "-xf", tarFile.toString(),
                "-C", gnu.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as("tar warns about nothing").isEmpty();
        assertSameFiles(upper, gnu);
    }

    private static void assertSameFiles(Path upper, Path unpacked) throws Exception {
        for (String name : new String[] {"plain", LONG}) {
            assertThat(Files.readString(unpacked.resolve(name))).isEqualTo(Files.readString(upper.resolve(name)));
            assertThat(FileCalls.lgetxattr(unpacked.resolve(name).toString(), "user.binary")).as(unpacked + " " + name)
                    .isEqualTo(BINARY);
            assertThat(Files.getLastModifiedTime(unpacked.resolve(name), LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(Files.getLastModifiedTime(upper.resolve(name), LinkOption.NOFOLLOW_LINKS));
        }
        assertThat(FileCalls.lgetxattr(unpacked.resolve("plain").toString(), "user.text")).isEqualTo(UTF8);
        assertThat(FileCalls.lgetxattr(unpacked.resolve(LONG).getParent().toString(), "user.dir"))
                .isEqualTo(new byte[] {0, 1, 2});
    }

    @Test
    void recordLengthsCountTheirOwnDigits() {
        byte[] eight = RawPaxHeader.encode(java.util.Map.of("k", "abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(eight, StandardCharsets.US_ASCII)).isEqualTo("8 k=abc\n");
        byte[] carried = RawPaxHeader.encode(java.util.Map.of("k", "x".repeat(94).getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(carried, StandardCharsets.US_ASCII)).startsWith("101 k=").hasSize(101);
        byte[] ten = RawPaxHeader.encode(java.util.Map.of("k", "abcdef".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(ten, StandardCharsets.US_ASCII)).isEqualTo("12 k=abcdef\n").hasSize(12);
    }
}
