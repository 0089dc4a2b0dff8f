package dev.vessel.engine.rootfs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * `docker cp` semantics between two directory trees: a file lands at the destination (or inside
 * it when it is a directory), a directory is copied whole (inside an existing directory, or as
 * the new destination), and {@code SRC/.} copies a directory's contents. Links stay links.
 */
public final class FileCopier {
    private FileCopier() {
    }

    /**
     * @param source the source path (its final component is not followed)
     * @param contentsOnly the source was written as {@code DIR/.}
     * @param destination where the user asked to put it
     */
    public static void copy(Path source, boolean contentsOnly, Path destination) throws IOException {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Could not find the file " + source + " in the source");
        }
        Path target = destination;
        if (Files.isDirectory(destination) && !contentsOnly) {
            target = destination.resolve(source.getFileName().toString());
        }
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            Path root = target;
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    Path created = root.resolve(source.relativize(dir).toString());
                    if (!Files.isDirectory(created)) {
                        Files.copy(dir, created, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.copy(file, root.resolve(source.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    return FileVisitResult.CONTINUE;
                }
            });
            return;
        }
        if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
            throw new IOException("the destination directory " + target.getParent() + " does not exist");
        }
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
    }
}
