package dev.vessel.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The per-layer progress lines: redrawn in place, one per blob, with bytes, total and final status. */
class TerminalProgressTest {
    @Test
    void drawsOneLinePerBlobAndEndsWithTheirStatus() {
        StringWriter text = new StringWriter();
        String a = "sha256:" + "a".repeat(64);
        String b = "sha256:" + "b".repeat(64);
        try (TerminalProgress progress = new TerminalProgress(new PrintWriter(text), "Downloading")) {
            progress.started(a, 3 * 1024 * 1024);
            progress.started(b, 100);
            progress.progressed(a, 1024 * 1024);
            progress.finished(b, "Already exists");
        }
        String[] lines = text.toString().split("\n");
        String last = lines[lines.length - 2] + "\n" + lines[lines.length - 1];
        assertThat(last).contains("aaaaaaaaaaaa: Downloading").contains("1.0 MiB / 3.0 MiB").contains("/s")
                .contains("bbbbbbbbbbbb: Already exists");
        assertThat(TerminalProgress.size(512)).isEqualTo("512 B");
        assertThat(TerminalProgress.size(5L << 30)).isEqualTo("5.0 GiB");
    }
}
