package dev.vessel.image.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs peer tools (openssl, htpasswd, skopeo) for the tests; skips a test when one is missing. */
final class Tools {
    private Tools() {
    }

    static void require(String tool) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), tool + " is not installed (bin/install-deps installs it)");
    }

    /** Runs a command, returns its standard output; fails with its standard error if it fails. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Path err = Files.createTempFile("vessel-tool", ".err");
        try {
            builder.redirectError(err.toFile());
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new ToolFailed(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + Files.readString(err).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        return run(null, command);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        return run(null, command.toArray(new String[0]));
    }

    static final class ToolFailed extends IOException {
        ToolFailed(String message) {
            super(message);
        }
    }
}
