package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.engine.TestImages;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vessel run -it busybox sh` driven through a real terminal (tmux), as a person would use it. */
class InteractiveTest {
    @TempDir
    Path root;

    @AfterEach
    void removeContainers() throws Exception {
        dev.vessel.cli.CliRun.removeAllContainers(root);
    }

    @Test
    void interactiveShellWithJobControlAndWindowSize() throws Exception {
        TestImages.busybox(root);
        try (TmuxTerminal terminal = TmuxTerminal.start(root, 80, 24, "run", "-it", "--rm", "busybox", "sh")) {
            terminal.waitForScreen(screen -> screen.contains("/ #"), "the shell prompt");
            terminal.type("echo hi-$((6*7)); stty size");
            terminal.waitForScreen(screen -> screen.contains("hi-42") && screen.contains("24 80"), "the command's output");
            terminal.resize(100, 30);
            // The resize reaches the container asynchronously (SIGWINCH to vessel, then an ioctl): ask again until it shows.
            for (int attempt = 0; attempt < 20 && !terminal.screen().contains("30 100"); attempt++) {
                terminal.type("stty size");
                Thread.sleep(500);
            }
            terminal.waitForScreen(screen -> screen.contains("30 100"), "the new window size");
            terminal.type("exit 3");
            assertThat(terminal.exitStatus()).isEqualTo("3");
        }
    }
}
