package dev.vessel.image.layer;

import dev.vessel.os.ErrnoException;
import dev.vessel.os.FileCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Turns an overlayfs upper directory (a container's changes) into a standard OCI layer: files,
 * directories, links and devices as they are, overlay whiteouts (0/0 character devices) as
 * {@code .wh.NAME} and opaque directories as {@code .wh..wh..opq}, in sorted order so the
 * same changes give the same bytes.
 */
public final class LayerDiffWriter {
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    /** One change as `diff` shows it: A added, C changed, D deleted. */
    public record Change(char kind, String path) {
    }

    private LayerDiffWriter() {
    }

    /**
     * Writes the upper directory as a layer tar.
     *
     * @param excluded paths (relative, no leading '/') that the runtime made, left out of the layer
     * @param mtime the time every entry gets when not null (reproducible builds), else the file's own
     */
    public static void write(Path upper, Set<String> excluded, FileTime mtime, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Map<Object, String> hardLinks = new HashMap<>();
        for (Path path : sortedTree(upper)) {
            String name = upper.relativize(path).toString();
            if (excluded.contains(name)) {
                continue;
            }
            Map<String, Object> attributes = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            int type = mode & 0170000;
            if (type == FileCalls.S_IFCHR && (Long) attributes.get("rdev") == 0) {
                whiteout(tar, name, mtime, attributes);
                continue;
            }
            TarArchiveEntry entry = entry(path, name, type, attributes, hardLinks);
            entry.setMode(mode);
            entry.setIds((Integer) attributes.get("uid"), (Integer) attributes.get("gid"));
            entry.setModTime(mtime != null ? mtime : (FileTime) attributes.get("lastModifiedTime"));
            Map<String, byte[]> xattrs = xattrs(path);
            if (xattrs.isEmpty()) {
                tar.putArchiveEntry(entry);
            } else {
                RawPaxHeader.put(tar, entry, xattrs);
            }
            if (type == 0100000 && !entry.isLink()) {
                try (InputStream in = Files.newInputStream(path)) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
            if (type == 0040000 && isOpaque(path)) {
                whiteout(tar, name + "/.wh..wh..opq", mtime, attributes);
            }
        }
        tar.finish();
    }

    /**
     * What a container changed, from its upper directory, against the image's layers (lowest
     * first), as podman and Docker list it: a directory copied up unchanged (same mode, size and
     * mtime as in the image) is left out, and the parent of an added or deleted path is listed as
     * changed just before it.
     */
    public static List<Change> changes(Path upper, List<Path> lowers, Set<String> excluded) throws IOException {
        List<Change> changes = new ArrayList<>();
        Set<String> changedDirs = new java.util.HashSet<>();
        for (Path path : sortedTree(upper)) {
            String name = upper.relativize(path).toString();
            if (excluded.contains(name)) {
                continue;
            }
            Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,rdev,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            boolean whiteout = (mode & 0170000) == FileCalls.S_IFCHR && (Long) attributes.get("rdev") == 0;
            Path lower = topmost(lowers, name);
            char kind = whiteout ? 'D' : lower != null ? 'C' : 'A';
            boolean directory = (mode & 0170000) == 0040000;
            if (kind == 'C' && directory && sameDirectory(attributes, lower)) {
                continue;
            }
            if (directory) {
                changedDirs.add(name);
            }
            int slash = name.lastIndexOf('/');
            if (kind != 'C' && slash > 0 && changedDirs.add(name.substring(0, slash))) {
                changes.add(new Change('C', "/" + name.substring(0, slash)));
            }
            changes.add(new Change(kind, "/" + name));
        }
        return changes;
    }

    /** The path in the highest layer that has it, or null. */
    private static Path topmost(List<Path> lowers, String name) {
        for (int i = lowers.size() - 1; i >= 0; i--) {
            Path candidate = lowers.get(i).resolve(name);
            if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean sameDirectory(Map<String, Object> upper, Path lower) throws IOException {
        if (!Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Map<String, Object> image = Files.readAttributes(lower, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        return upper.get("mode").equals(image.get("mode")) && upper.get("size").equals(image.get("size"))
                && upper.get("lastModifiedTime").equals(image.get("lastModifiedTime"));
    }

    private static TarArchiveEntry entry(Path path, String name, int type, Map<String, Object> attributes,
            Map<Object, String> hardLinks) throws IOException {
        switch (type) {
            case 0040000 -> {
                return new TarArchiveEntry(name + "/", TarConstants.LF_DIR, true);
            }
            case 0120000 -> {
                TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
                link.setLinkName(Files.readSymbolicLink(path).toString());
                return link;
            }
            case FileCalls.S_IFCHR, FileCalls.S_IFBLK, FileCalls.S_IFIFO -> {
                byte kind = type == FileCalls.S_IFCHR ? TarConstants.LF_CHR
                        : type == FileCalls.S_IFBLK ? TarConstants.LF_BLK : TarConstants.LF_FIFO;
                TarArchiveEntry device = new TarArchiveEntry(name, kind, true);
                long rdev = (Long) attributes.get("rdev");
                device.setDevMajor((int) FileCalls.major(rdev));
                device.setDevMinor((int) FileCalls.minor(rdev));
                return device;
            }
            case 0100000 -> {
                if ((Integer) attributes.get("nlink") > 1) {
                    Object key = List.of(attributes.get("dev"), attributes.get("ino"));
                    String first = hardLinks.putIfAbsent(key, name);
                    if (first != null) {
                        TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
                        link.setLinkName(first);
                        return link;
                    }
                }
                TarArchiveEntry file = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
                file.setSize((Long) attributes.get("size"));
                return file;
            }
            default -> throw new IOException("cannot put " + path + " in a layer: unsupported file type");
        }
    }

    private static void whiteout(TarArchiveOutputStream tar, String name, FileTime mtime,
            Map<String, Object> attributes) throws IOException {
        int slash = name.lastIndexOf('/');
        String whiteoutName = name.endsWith("/.wh..wh..opq") ? name
                : name.substring(0, slash + 1) + ".wh." + name.substring(slash + 1);
        TarArchiveEntry entry = new TarArchiveEntry(whiteoutName, TarConstants.LF_NORMAL, true);
        entry.setMode(0100000);
        entry.setModTime(mtime != null ? mtime : (FileTime) attributes.get("lastModifiedTime"));
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static boolean isOpaque(Path dir) {
        try {
            byte[] value = FileCalls.lgetxattr(dir.toString(), OPAQUE_XATTR);
            return value != null && value.length == 1 && value[0] == 'y';
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** Extended attributes to keep: all but overlayfs's own bookkeeping. */
    private static Map<String, byte[]> xattrs(Path path) {
        Map<String, byte[]> result = new java.util.TreeMap<>();
        try {
            for (String name : FileCalls.llistxattr(path.toString())) {
                if (!name.startsWith("trusted.overlay.")) {
                    byte[] value = FileCalls.lgetxattr(path.toString(), name);
                    if (value != null) {
                        result.put(name, value);
                    }
                }
            }
        } catch (ErrnoException unsupported) {
            // a file system without xattrs: nothing to keep
        }
        return result;
    }

    /** Every path under the directory (not the directory itself), parents before children, names sorted. */
    private static List<Path> sortedTree(Path dir) throws IOException {
        List<Path> result = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return result;
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        for (Path child : children) {
            result.add(child);
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                result.addAll(sortedTree(child));
            }
        }
        return result;
    }
}
