package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.cli.VesselProcess;
import dev.vessel.engine.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vessel run -it busybox sh` driven through a real terminal (tmux), as a person would use it. */
class InteractiveTest {
    @TempDir
    Path root;
    private final String session = "vessel-test-" + ProcessHandle.current().pid();

    @AfterEach
    void killSession() throws Exception {
        tmux("kill-session", "-t", session);
        for (String id : dev.vessel.cli.CliRun.of("--root", root.toString(), "ps", "-aq", "--no-trunc").out().lines().toList()) {
            dev.vessel.cli.CliRun.of("--root", root.toString(), "rm", "-f", id);
        }
    }

    @Test
    void interactiveShellWithJobControlAndWindowSize() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed (bin/install-deps installs it)");
        TestImages.busybox(root);
        Path exitFile = root.resolve("exit-status");
        String vessel = VesselProcess.commandLine(root, "run", "-it", "--rm", "busybox", "sh").stream()
                .map(InteractiveTest::quote).collect(Collectors.joining(" "));
        tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24",
                vessel + "; echo $? > " + quote(exitFile.toString()) + "; sleep 60");
        waitForScreen(screen -> screen.contains("/ #"), "the shell prompt");
        tmux("send-keys", "-t", session, "echo hi-$((6*7)); stty size", "Enter");
        waitForScreen(screen -> screen.contains("hi-42") && screen.contains("24 80"), "the command's output");
        tmux("resize-window", "-t", session, "-x", "100", "-y", "30");
        // The resize reaches the container asynchronously (SIGWINCH to vessel, then an ioctl): ask again until it shows.
        for (int attempt = 0; attempt < 20 && !tmux("capture-pane", "-p", "-t", session).contains("30 100"); attempt++) {
            tmux("send-keys", "-t", session, "stty size", "Enter");
            Thread.sleep(500);
        }
        waitForScreen(screen -> screen.contains("30 100"), "the new window size");
        tmux("send-keys", "-t", session, "exit 3", "Enter");
        for (int i = 0; i < 300 && !Files.exists(exitFile); i++) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(exitFile).strip()).isEqualTo("3");
    }

    private void waitForScreen(Predicate<String> ready, String what) throws Exception {
        String screen = "";
        for (int i = 0; i < 600; i++) {
            screen = tmux("capture-pane", "-p", "-t", session);
            if (ready.test(screen)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; the screen shows:\n" + screen);
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
