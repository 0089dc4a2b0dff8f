package dev.vessel.cli.container;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.cli.VesselProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real terminal for interactive tests: a detached tmux session running one vessel command,
 * typed into and read back as a person would; the command's exit status lands in a file.
 */
final class TmuxTerminal implements AutoCloseable {
    private final String session;
    private final Path exitFile;

    private TmuxTerminal(String session, Path exitFile) {
        this.session = session;
        this.exitFile = exitFile;
    }

    /** Starts {@code vessel ARGS} against root in a COLUMNS x ROWS terminal (skips the test without tmux). */
    static TmuxTerminal start(Path root, int columns, int rows, String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed (bin/install-deps installs it)");
        TmuxTerminal terminal = new TmuxTerminal("vessel-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime(),
                root.resolve("exit-status-" + System.nanoTime()));
        String vessel = VesselProcess.commandLine(root, args).stream().map(TmuxTerminal::quote)
                .collect(Collectors.joining(" "));
        tmux("new-session", "-d", "-s", terminal.session, "-x", Integer.toString(columns), "-y", Integer.toString(rows),
                vessel + "; echo $? > " + quote(terminal.exitFile.toString()) + "; sleep 60");
        return terminal;
    }

    /** Types a line and Enter. */
    void type(String line) throws IOException, InterruptedException {
        tmux("send-keys", "-t", session, line, "Enter");
    }

    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", session);
    }

    void resize(int columns, int rows) throws IOException, InterruptedException {
        tmux("resize-window", "-t", session, "-x", Integer.toString(columns), "-y", Integer.toString(rows));
    }

    /** Waits (up to a minute) until the screen shows what {@code ready} looks for. */
    void waitForScreen(Predicate<String> ready, String what) throws Exception {
        String screen = "";
        for (int i = 0; i < 600; i++) {
            screen = screen();
            if (ready.test(screen)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; the screen shows:\n" + screen);
    }

    /** The vessel command's exit status, once it has exited (up to 30 s). */
    String exitStatus() throws IOException, InterruptedException {
        for (int i = 0; i < 300 && !Files.exists(exitFile); i++) {
            Thread.sleep(100);
        }
        return Files.readString(exitFile).strip();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tmux("kill-session", "-t", session);
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
