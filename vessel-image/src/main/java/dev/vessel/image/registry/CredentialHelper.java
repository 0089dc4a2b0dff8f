package dev.vessel.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Docker credential helper, {@code docker-credential-NAME}, found on the search path and
 * spoken to as Docker does: the action ({@code get}, {@code store}, {@code erase}) as the only
 * argument, the request on standard input (the server URL, or for store a JSON object
 * {@code {"ServerURL", "Username", "Secret"}}), the answer on standard output. A helper that
 * has nothing for a server exits non-zero saying "credentials not found".
 */
final class CredentialHelper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;

    private final String name;
    private final List<Path> searchPath;

    CredentialHelper(String name, List<Path> searchPath) {
        this.name = name;
        this.searchPath = searchPath;
    }

    String program() {
        return "docker-credential-" + name;
    }

    Optional<Credentials> get(String serverUrl) throws IOException {
        Outcome outcome = run("get", serverUrl);
        if (outcome.notFound()) {
            return Optional.empty();
        }
        outcome.requireSuccess();
        JsonNode answer;
        try {
            answer = JSON.readTree(outcome.stdout);
        } catch (IOException e) {
            throw new IOException(program() + " get answered something that is not JSON");
        }
        String user = answer.path("Username").asText("");
        String secret = answer.path("Secret").asText("");
        return secret.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, secret));
    }

    void store(String serverUrl, Credentials credentials) throws IOException {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("ServerURL", serverUrl);
        request.put("Username", credentials.username());
        request.put("Secret", credentials.password());
        run("store", JSON.writeValueAsString(request)).requireSuccess();
    }

    /** Erases a server's credentials; false when the helper had none. */
    boolean erase(String serverUrl) throws IOException {
        Outcome outcome = run("erase", serverUrl);
        if (outcome.notFound()) {
            return false;
        }
        outcome.requireSuccess();
        return true;
    }

    private record Outcome(String program, String action, int status, String stdout, String stderr) {
        boolean notFound() {
            return status != 0 && (stdout + stderr).toLowerCase(java.util.Locale.ROOT).contains("credentials not found");
        }

        void requireSuccess() throws IOException {
            if (status != 0) {
                String message = (stdout.isBlank() ? stderr : stdout).strip().lines().findFirst().orElse("");
                throw new IOException("credential helper " + program + " " + action + " failed (exit " + status + ")"
                        + (message.isEmpty() ? "" : ": " + message));
            }
        }
    }

    private Outcome run(String action, String input) throws IOException {
        Path executable = locate();
        Process process = new ProcessBuilder(executable.toString(), action).start();
        // Read both outputs while writing, so a chatty helper cannot block on a full pipe.
        CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
        CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the helper exited without reading: its status and message tell why
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("credential helper " + program() + " " + action + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Outcome(program(), action, process.exitValue(), new String(stdout.join(), StandardCharsets.UTF_8),
                    new String(stderr.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for " + program());
        }
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readNBytes(1 << 20);
            } catch (IOException e) {
                return new byte[0];
            }
        }, command -> Thread.ofVirtual().start(command));
    }

    private Path locate() throws IOException {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(program());
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IOException("credential helper " + program() + " (named in the credentials file) is not on the PATH");
    }
}
