package dev.vessel.engine.build;

import dev.vessel.os.AtomicFiles;
import dev.vessel.os.Mounts;
import dev.vessel.runtime.OciRuntime;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The per-build scratch directories under {@code ROOT/build}: each is held by its build through
 * a lock on {@code owner.lock}, so a directory whose lock can be taken belongs to a build that
 * was killed. Such leftovers (overlay mounts, a RUN step's container) are removed before the
 * next build starts.
 */
final class BuildDirectories {
    static final String CONTAINER_FILE = "container";
    private static final String LOCK_FILE = "owner.lock";

    private BuildDirectories() {
    }

    /** A held build directory: the lock goes with {@link #close()}, the directory with it. */
    static final class Held implements AutoCloseable {
        private final Path dir;
        private final FileChannel channel;

        private Held(Path dir, FileChannel channel) {
            this.dir = dir;
            this.channel = channel;
        }

        Path dir() {
            return dir;
        }

        @Override
        public void close() throws IOException {
            try {
                AtomicFiles.deleteTree(dir);
            } finally {
                channel.close();
            }
        }
    }

    /** Removes what killed builds left, then makes and holds a new directory. */
    static Held create(Path buildRoot, OciRuntime runtime) throws IOException {
        Files.createDirectories(buildRoot);
        reapAbandoned(buildRoot, runtime);
        Path dir = Files.createTempDirectory(buildRoot, "build-");
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        channel.lock();
        return new Held(dir, channel);
    }

    private static void reapAbandoned(Path buildRoot, OciRuntime runtime) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(buildRoot, "build-*")) {
            for (Path dir : entries) {
                Path lock = dir.resolve(LOCK_FILE);
                if (!Files.isRegularFile(lock)) {
                    continue; // being made right now (the lock file comes just after the directory)
                }
                try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
                        FileLock taken = channel.tryLock()) {
                    if (taken != null) {
                        reap(dir, runtime);
                    }
                }
            }
        }
    }

    /** A killed build's leftovers: its RUN container, then its mounts, deepest first, then its files. */
    private static void reap(Path dir, OciRuntime runtime) throws IOException {
        try (DirectoryStream<Path> steps = Files.newDirectoryStream(dir, "step-*")) {
            for (Path step : steps) {
                Path container = step.resolve(CONTAINER_FILE);
                if (Files.isRegularFile(container)) {
                    try {
                        runtime.delete(Files.readString(container).strip(), true);
                    } catch (IOException | RuntimeException alreadyGone) {
                        // deleted by the build itself before it was killed
                    }
                }
            }
        }
        List<Path> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            Path point = Path.of(line.split(" ")[4].replace("\\040", " "));
            if (point.startsWith(dir)) {
                mounts.add(point);
            }
        }
        mounts.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path point : mounts) {
            Mounts.unmount(point, Mounts.MNT_DETACH);
        }
        AtomicFiles.deleteTree(dir);
    }
}
