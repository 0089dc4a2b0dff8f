package dev.vessel.engine.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a container's root file system with its symlinks taken relative to
 * that root, so that reading /etc/passwd of a malicious image cannot reach the host's files.
 */
public final class RootfsPaths {
    private static final int MAX_LINKS = 40;

    private RootfsPaths() {
    }

    /** The host path of {@code inside} (absolute or relative to /) in {@code rootfs}; null on a symlink loop. */
    public static Path resolve(Path rootfs, String inside) {
        Deque<String> pending = new ArrayDeque<>();
        for (String part : inside.split("/")) {
            if (!part.isEmpty()) {
                pending.addLast(part);
            }
        }
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            Path candidate = join(rootfs, resolved).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    return null;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    return null;
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                String[] targetParts = target.split("/");
                for (int i = targetParts.length - 1; i >= 0; i--) {
                    if (!targetParts[i].isEmpty()) {
                        pending.addFirst(targetParts[i]);
                    }
                }
                continue;
            }
            resolved.add(part);
        }
        return join(rootfs, resolved);
    }

    private static Path join(Path rootfs, List<String> parts) {
        Path path = rootfs;
        for (String part : parts) {
            path = path.resolve(part);
        }
        return path;
    }
}
