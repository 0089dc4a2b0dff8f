package dev.vessel.image.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A {@code docker-credential-NAME} for tests: a shell script speaking Docker's helper protocol
 * that keeps each server's credentials as a JSON file in its directory and logs every call
 * ({@code ACTION URL}) to {@code calls}.
 */
record FakeCredentialHelper(Path dir, String name) {
    static FakeCredentialHelper install(Path binDir, String name) throws IOException {
        Path dir = Files.createDirectories(binDir.resolveSibling(name + "-store"));
        Files.createDirectories(binDir);
        Path script = binDir.resolve("docker-credential-" + name);
        Files.writeString(script, """
                #!/bin/sh
                dir='%s'
                file() { printf '%%s' "$1" | tr -c 'A-Za-z0-9.' _; }
                case "$1" in
                get|erase)
                  url=$(cat); echo "$1 $url" >>"$dir/calls"
                  f="$dir/$(file "$url")"
                  [ -f "$f" ] || { echo "credentials not found in native keychain"; exit 1; }
                  if [ "$1" = get ]; then cat "$f"; else rm "$f"; fi ;;
                store)
                  json=$(cat); url=$(printf '%%s' "$json" | sed 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/')
                  echo "store $url" >>"$dir/calls"
                  printf '%%s' "$json" >"$dir/$(file "$url")" ;;
                *) echo "unknown action $1" >&2; exit 2 ;;
                esac
                """.formatted(dir));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new FakeCredentialHelper(dir, name);
    }

    /** The calls made so far, e.g. {@code store 127.0.0.1:5000}. */
    List<String> calls() throws IOException {
        Path calls = dir.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    /** What the helper holds for a server URL (the JSON it was given), or null. */
    String stored(String serverUrl) throws IOException {
        Path file = dir.resolve(serverUrl.replaceAll("[^A-Za-z0-9.]", "_"));
        return Files.exists(file) ? Files.readString(file) : null;
    }
}
