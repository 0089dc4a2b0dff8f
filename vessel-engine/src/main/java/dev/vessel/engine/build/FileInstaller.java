package dev.vessel.engine.build;

import dev.vessel.engine.spec.RootfsPaths;
import dev.vessel.os.FileCalls;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Puts files into a build step's root file system for COPY and ADD: paths inside the root are
 * resolved with its symlinks taken relative to it, so nothing is written outside; copied files
 * keep their mode and times and get the owner (root unless --chown) and mode (--chmod) asked for.
 */
final class FileInstaller {
    /** Owner of what is copied: uid and gid; null keeps the source's own (an archive's, another stage's). */
    record Owner(int uid, int gid) {
    }

    private final Path rootfs;
    private final Owner owner;
    private final Integer chmod;

    FileInstaller(Path rootfs, Owner owner, Integer chmod) {
        this.rootfs = rootfs;
        this.owner = owner;
        this.chmod = chmod;
    }

    /** The host path of an absolute path inside the root, its parents created (root, 0755) when missing. */
    Path directory(String inside) throws IOException {
        Path dir = RootfsPaths.resolve(rootfs, inside);
        if (dir == null) {
            throw new BuildException("the destination " + inside + " has too many levels of symbolic links");
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildException("the destination " + inside + " exists and is not a directory");
        }
        makeDirectories(dir, true);
        return dir;
    }

    private void makeDirectories(Path dir, boolean owned) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        makeDirectories(dir.getParent(), false);
        Files.createDirectory(dir);
        FileCalls.chmod(dir.toString(), 0755);
        if (owned && owner != null) {
            FileCalls.lchown(dir.toString(), owner.uid(), owner.gid());
        }
    }

    /**
     * Copies {@code source} (a file, link or directory on the host) to {@code inside}: a directory's
     * contents go into the destination directory; a file goes into it when {@code intoDirectory} or
     * when the destination is an existing directory, else becomes the destination.
     */
    void copy(Path source, String inside, boolean intoDirectory) throws IOException {
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            copyTree(source, directory(inside));
            return;
        }
        Path target;
        Path resolved = RootfsPaths.resolve(rootfs, inside);
        if (intoDirectory || (resolved != null && Files.isDirectory(resolved))) {
            target = directory(inside).resolve(source.getFileName().toString());
        } else {
            int slash = inside.lastIndexOf('/');
            target = directory(slash <= 0 ? "/" : inside.substring(0, slash)).resolve(inside.substring(slash + 1));
        }
        copyEntry(source, target);
    }

    private void copyTree(Path sourceDir, Path targetDir) throws IOException {
        Files.walkFileTree(sourceDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                // the source directory itself is the destination, made by directory(): only its contents are copied
                if (!dir.equals(sourceDir)) {
                    copyEntry(dir, targetDir.resolve(sourceDir.relativize(dir).toString()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                copyEntry(file, targetDir.resolve(sourceDir.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** One entry, replacing what is at the target unless both are directories. */
    private void copyEntry(Path source, Path target) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> unix = Files.readAttributes(source, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode") & 07777;
        if (attributes.isDirectory()) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(target);
                Files.createDirectory(target);
            }
        } else if (attributes.isSymbolicLink()) {
            replaceNonDirectory(target);
            Files.createSymbolicLink(target, Files.readSymbolicLink(source));
        } else if (attributes.isRegularFile()) {
            replaceNonDirectory(target);
            Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
        } else {
            return; // sockets, fifos and devices in a context are not copied, as Docker skips them
        }
        finish(target, attributes.isSymbolicLink(), mode, attributes.lastModifiedTime(), (Integer) unix.get("uid"),
                (Integer) unix.get("gid"));
    }

    private static void replaceNonDirectory(Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildException("cannot replace the directory " + target.getFileName() + " with a file");
        }
        Files.deleteIfExists(target);
    }

    private void finish(Path target, boolean symlink, int mode, FileTime mtime, int archiveUid, int archiveGid)
            throws IOException {
        int uid = owner != null ? owner.uid() : archiveUid;
        int gid = owner != null ? owner.gid() : archiveGid;
        FileCalls.lchown(target.toString(), uid, gid);
        if (!symlink) {
            FileCalls.chmod(target.toString(), chmod != null ? chmod : mode);
        }
        long nanos = mtime.to(java.util.concurrent.TimeUnit.NANOSECONDS);
        FileCalls.lutimes(target.toString(), nanos, nanos);
    }

    /** Whether a file is a tar archive, plain or compressed (gzip, bzip2, xz), which ADD unpacks. */
    static boolean isArchive(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = open(file)) {
            byte[] header = in.readNBytes(512);
            return header.length >= 262 && header[257] == 'u' && header[258] == 's' && header[259] == 't'
                    && header[260] == 'a' && header[261] == 'r';
        } catch (IOException notCompressedTar) {
            return false;
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new BufferedInputStream(CompressorStreamFactory.getSingleton().createCompressorInputStream(raw));
        } catch (CompressorException notCompressed) {
            return raw;
        }
    }

    /** ADD of a local archive: its entries unpacked into the directory {@code inside}, none outside it. */
    void extract(Path archive, String inside) throws IOException {
        directory(inside);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open(archive))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = BuildContext.clean(entry.getName());
                if (name == null) {
                    throw new BuildException("ADD " + archive.getFileName() + ": the entry '" + entry.getName()
                            + "' points outside its destination");
                }
                if (name.isEmpty()) {
                    continue;
                }
                int slash = name.lastIndexOf('/');
                Path parent = directory(inside + "/" + (slash < 0 ? "" : name.substring(0, slash)));
                Path target = parent.resolve(slash < 0 ? name : name.substring(slash + 1));
                int mode = entry.getMode() & 07777;
                if (entry.isDirectory()) {
                    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(target);
                        Files.createDirectory(target);
                    }
                } else if (entry.isSymbolicLink()) {
                    replaceNonDirectory(target);
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    String linked = BuildContext.clean(entry.getLinkName());
                    Path existing = linked == null ? null : RootfsPaths.resolve(rootfs, inside + "/" + linked);
                    if (existing == null || !Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
                        throw new BuildException("ADD " + archive.getFileName() + ": the hard link '" + entry.getName()
                                + "' names no earlier file of the archive");
                    }
                    replaceNonDirectory(target);
                    Files.createLink(target, existing);
                    continue;
                } else if (entry.isFile()) {
                    replaceNonDirectory(target);
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    replaceNonDirectory(target);
                    int type = entry.isFIFO() ? FileCalls.S_IFIFO : entry.isCharacterDevice() ? FileCalls.S_IFCHR
                            : FileCalls.S_IFBLK;
                    FileCalls.mknod(target.toString(), type | mode,
                            FileCalls.makedev(entry.getDevMajor(), entry.getDevMinor()));
                } else {
                    continue;
                }
                finish(target, entry.isSymbolicLink(), mode, FileTime.from(entry.getModTime().toInstant()),
                        (int) entry.getLongUserId(), (int) entry.getLongGroupId());
            }
        }
    }
}
