package dev.vessel.engine.build;

import dev.vessel.image.build.DockerIgnore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The build context: the directory COPY and ADD read from, less what .dockerignore leaves out.
 * Every path it hands out is inside the context; a source that names a path outside it is an error.
 */
final class BuildContext {
    private final Path root;
    private final DockerIgnore ignore;

    private BuildContext(Path root, DockerIgnore ignore) {
        this.root = root;
        this.ignore = ignore;
    }

    static BuildContext of(Path dir) throws IOException {
        Path root = dir.toRealPath();
        Path ignoreFile = root.resolve(".dockerignore");
        DockerIgnore ignore = Files.isRegularFile(ignoreFile)
                ? DockerIgnore.parse(Files.readString(ignoreFile)) : DockerIgnore.none();
        return new BuildContext(root, ignore);
    }

    Path root() {
        return root;
    }

    boolean excluded(String relative) {
        return !relative.isEmpty() && ignore.excludes(relative);
    }

    /**
     * The context paths (relative) a COPY source names: the path itself, or what its pattern
     * matches; an error when it leaves the context or matches nothing.
     */
    List<String> sources(String source, String keyword) throws BuildException {
        String cleaned = clean(source);
        if (cleaned == null) {
            throw new BuildException(keyword + " source '" + source + "' is outside the build context");
        }
        try {
            List<String> matches;
            if (cleaned.isEmpty()) {
                matches = List.of("");
            } else if (SourceGlob.isPattern(cleaned)) {
                matches = SourceGlob.expand(root, cleaned, this::excluded);
            } else {
                matches = Files.exists(root.resolve(cleaned), LinkOption.NOFOLLOW_LINKS) && !excluded(cleaned)
                        ? List.of(cleaned) : List.of();
            }
            if (matches.isEmpty()) {
                throw new BuildException(keyword + " source '" + source
                        + "' was not found in the build context (or .dockerignore excludes it)");
            }
            return matches;
        } catch (BuildException e) {
            throw e;
        } catch (IOException e) {
            throw new BuildException(keyword + " source '" + source + "': " + e.getMessage());
        }
    }

    /** A path made relative to the context root; null when ".." would leave it. */
    static String clean(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
                continue;
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    /**
     * A digest of everything the given sources would copy: names, types, modes, owners, sizes,
     * link targets and contents, so a step is reused exactly when its inputs are unchanged.
     */
    String digest(List<String> sources) throws IOException {
        MessageDigest sha = sha256();
        for (String source : sources) {
            Path start = source.isEmpty() ? root : root.resolve(source);
            List<Path> paths;
            if (Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(start)) {
                    paths = walk.sorted().toList();
                }
            } else {
                paths = List.of(start);
            }
            for (Path path : paths) {
                String relative = root.relativize(path).toString();
                if (!path.equals(start) && excluded(relative)) {
                    continue;
                }
                addEntry(sha, path, relative);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static void addEntry(MessageDigest sha, Path path, String name) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
        sha.update((name + "\0" + attributes.get("mode") + "\0" + attributes.get("uid") + "\0" + attributes.get("gid")
                + "\0" + attributes.get("size") + "\0").getBytes(StandardCharsets.UTF_8));
        if (Files.isSymbolicLink(path)) {
            sha.update(Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8));
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(path)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
            }
        }
        sha.update((byte) '\n');
    }

    /** SHA-256, libcrypto's through FFM when present (the JDK's is slow under the launcher's C1-only JIT). */
    static MessageDigest sha256() {
        return dev.vessel.image.Digest.newSha256();
    }
}
