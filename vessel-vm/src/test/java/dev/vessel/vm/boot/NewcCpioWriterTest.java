package dev.vessel.vm.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewcCpioWriterTest {
    @TempDir
    Path dir;

    @Test
    void gnuCpioListsAndExtractsWhatVesselWrote() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cpio")) || Files.isExecutable(Path.of("/bin/cpio")),
                "GNU cpio not installed");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NewcCpioWriter cpio = new NewcCpioWriter(bytes)) {
            cpio.directory("etc", 0755);
            cpio.file("etc/greeting", 0640, "hello\n".getBytes(StandardCharsets.UTF_8));
            cpio.file("odd", 0600, "abc".getBytes(StandardCharsets.UTF_8)); // exercises padding
            cpio.symlink("link", "etc/greeting");
            cpio.finish();
        }
        Path archive = dir.resolve("a.cpio");
        Files.write(archive, bytes.toByteArray());
        assertThat(bytes.size() % 512).isZero();

        Path out = Files.createDirectory(dir.resolve("out"));
        Process p = new ProcessBuilder("cpio", "-idm", "--no-absolute-filenames", "-F", archive.toString())
                .directory(out.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.readString(out.resolve("etc/greeting"))).isEqualTo("hello\n");
        assertThat(Files.readString(out.resolve("odd"))).isEqualTo("abc");
        assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("etc/greeting"));
        assertThat(Files.getPosixFilePermissions(out.resolve("etc/greeting")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    }
}
