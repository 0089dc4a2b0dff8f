package dev.vessel.image.layer;

import dev.vessel.image.Digest;
import dev.vessel.image.ImageException;
import dev.vessel.os.AtomicFiles;
import dev.vessel.os.ErrnoException;
import dev.vessel.os.FileCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one layer tar into an empty directory so that it can serve as an overlayfs lower
 * directory. OCI whiteouts become overlayfs ones ({@code .wh.NAME} -> a 0/0 character
 * device, {@code .wh..wh..opq} -> {@code trusted.overlay.opaque=y}); hard links, symbolic
 * links, device nodes, owners, modes, extended attributes and times are kept.
 *
 * <p>Safety: an entry is refused (the whole layer fails) when its name contains {@code ..},
 * when its parent path passes through a symbolic link, or when a hard link points outside the
 * layer; nothing is ever written through a symbolic link. The uncompressed stream must hash
 * to the layer's diff ID.
 */
public final class LayerUnpacker {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final Path dir;
    private String layerName = "layer";

    /** Directory attributes applied last, deepest first, since filling a directory changes its mtime. */
    private record DirAttributes(Path path, TarArchiveEntry entry, Map<String, byte[]> xattrs) {
    }

    private final List<DirAttributes> directories = new ArrayList<>();
    /** The raw extended attributes of the entry being applied. */
    private Map<String, byte[]> xattrs = Map.of();

    public LayerUnpacker(Path dir) {
        this.dir = dir;
    }

    /** Unpacks the blob (compressed as its media type says) and checks the uncompressed digest. */
    public void unpack(InputStream blob, String mediaType, Digest diffId) throws IOException {
        layerName = "layer " + diffId;
        Compression compression = Compression.ofMediaType(mediaType);
        InputStream buffered = Compression.buffered(blob);
        MessageDigest sha256 = Digest.newSha256();
        DigestInputStream plain = new DigestInputStream(compression.decompress(buffered), sha256);
        PaxXattrReader rawXattrs = new PaxXattrReader(plain);
        TarArchiveInputStream tar = new TarArchiveInputStream(rawXattrs);
        try {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                xattrs = rawXattrs.nextEntry();
                apply(tar, entry);
            }
        } catch (ImageException e) {
            throw e;
        } catch (java.io.EOFException e) {
            throw new ImageException(layerName + " is truncated (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new ImageException(layerName + ": cannot unpack (" + e.getMessage() + ")");
        }
        // Hash what follows the tar's end blocks too, then let the blob's own check run.
        plain.transferTo(OutputStream.nullOutputStream());
        buffered.transferTo(OutputStream.nullOutputStream());
        Digest actual = Digest.fromBytes(sha256.digest());
        if (!actual.equals(diffId)) {
            throw new ImageException("layer content has digest " + actual + ", not its diff ID " + diffId);
        }
        for (int i = directories.size() - 1; i >= 0; i--) {
            DirAttributes d = directories.get(i);
            xattrs = d.xattrs();
            setAttributes(d.path(), d.entry(), false);
        }
    }

    private void apply(TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
        List<String> parts = components(entry.getName(), entry.getName(), "");
        if (parts.isEmpty()) {
            if (entry.isDirectory()) {
                directories.add(new DirAttributes(dir, entry, xattrs));
            }
            return;
        }
        Path parent = parentDirectory(parts, entry.getName());
        String base = parts.getLast();
        if (base.equals(OPAQUE)) {
            FileCalls.lsetxattr(parent.toString(), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            String hidden = base.substring(WHITEOUT.length());
            if (hidden.startsWith(WHITEOUT) || hidden.isEmpty()) {
                return; // other AUFS metadata (.wh..wh.plnk, ...): not content
            }
            Path target = parent.resolve(hidden);
            removeExisting(target);
            FileCalls.mknod(target.toString(), FileCalls.S_IFCHR, 0);
            FileCalls.lchown(target.toString(), (int) entry.getLongUserId(), (int) entry.getLongGroupId());
            return;
        }
        Path target = parent.resolve(base);
        if (entry.isDirectory()) {
            BasicFileAttributes existing = attributes(target);
            if (existing != null && !existing.isDirectory()) {
                removeExisting(target);
                existing = null;
            }
            if (existing == null) {
                Files.createDirectory(target);
            }
            directories.add(new DirAttributes(target, entry, xattrs));
            return;
        }
        removeExisting(target);
        if (entry.isLink()) {
            List<String> sourceParts = components(entry.getLinkName(), entry.getName(), "hard link target " + entry.getLinkName() + ": ");
            if (sourceParts.isEmpty()) {
                throw refused(entry.getName(), "hard link to the layer root");
            }
            Path source = parentDirectory(sourceParts, entry.getLinkName()).resolve(sourceParts.getLast());
            BasicFileAttributes sourceAttributes = attributes(source);
            if (sourceAttributes == null) {
                throw refused(entry.getName(), "hard link to " + entry.getLinkName() + ", which the layer does not contain");
            }
            if (sourceAttributes.isDirectory()) {
                throw refused(entry.getName(), "hard link to a directory");
            }
            Files.createLink(target, source);
            return;
        }
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            int type = entry.isCharacterDevice() ? FileCalls.S_IFCHR : FileCalls.S_IFBLK;
            FileCalls.mknod(target.toString(), type | (entry.getMode() & 07777),
                    FileCalls.makedev(entry.getDevMajor(), entry.getDevMinor()));
        } else if (entry.isFIFO()) {
            FileCalls.mknod(target.toString(), FileCalls.S_IFIFO | (entry.getMode() & 07777), 0);
        } else if (entry.isFile()) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                tar.transferTo(out);
            }
        } else {
            return; // sockets, GNU volume headers: nothing to create
        }
        setAttributes(target, entry, entry.isSymbolicLink());
    }

    private void setAttributes(Path path, TarArchiveEntry entry, boolean symlink) throws ErrnoException {
        String p = path.toString();
        FileCalls.lchown(p, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
        if (!symlink) {
            // After chown, which clears setuid/setgid bits.
            FileCalls.chmod(p, entry.getMode() & 07777);
        }
        // The raw bytes of each SCHILY.xattr record: binary values (security.capability) stay exact.
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            FileCalls.lsetxattr(p, xattr.getKey(), xattr.getValue());
        }
        long mtime = entry.getLastModifiedTime().to(TimeUnit.NANOSECONDS);
        FileCalls.lutimes(p, mtime, mtime);
    }

    /**
     * The directory an entry goes in, creating missing ones; refuses a path through a symbolic
     * link or through something that is not a directory.
     */
    private Path parentDirectory(List<String> parts, String name) throws IOException {
        Path current = dir;
        for (int i = 0; i < parts.size() - 1; i++) {
            current = current.resolve(parts.get(i));
            BasicFileAttributes attributes = attributes(current);
            if (attributes == null) {
                Files.createDirectory(current);
            } else if (attributes.isSymbolicLink()) {
                throw refused(name, "its path goes through the symbolic link " + String.join("/", parts.subList(0, i + 1)));
            } else if (!attributes.isDirectory()) {
                throw refused(name, "its path goes through the non-directory " + String.join("/", parts.subList(0, i + 1)));
            }
        }
        return current;
    }

    /** The path's components without {@code .} or empty ones; {@code ..} is refused. */
    private List<String> components(String name, String entryName, String what) throws ImageException {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw refused(entryName, what + "'..' in a path could escape the layer");
            }
            parts.add(part);
        }
        return parts;
    }

    private ImageException refused(String name, String why) {
        return new ImageException(layerName + ": refused entry " + name + ": " + why);
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** Removes what is at a path (a later entry replaces an earlier one), never following links. */
    private static void removeExisting(Path path) throws IOException {
        BasicFileAttributes attributes = attributes(path);
        if (attributes == null) {
            return;
        }
        if (attributes.isDirectory()) {
            AtomicFiles.deleteTree(path);
        } else {
            Files.delete(path);
        }
    }
}
