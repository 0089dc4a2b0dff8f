package dev.vessel.image.layer;

import dev.vessel.image.ImageException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Checks a layer tar's headers against the rules {@link LayerUnpacker} enforces (no
 * {@code ..}, no path through a symbolic link the layer creates, hard links only to files
 * earlier in the layer) without writing anything, so {@code load} and {@code import} refuse a
 * hostile layer before it enters the store. Content is skipped, not read, when the stream can
 * seek.
 */
public final class LayerValidator {
    private LayerValidator() {
    }

    /** @param plain the uncompressed tar; {@code layer} names it in errors */
    public static void check(InputStream plain, String layer) throws IOException {
        Set<String> symlinks = new HashSet<>();
        Set<String> files = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        int entries = 0;
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(plain);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries++;
                String path = path(entry.getName(), entry.getName(), "", layer);
                if (path.isEmpty()) {
                    continue;
                }
                checkParents(path, entry.getName(), symlinks, files, layer);
                if (entry.isLink()) {
                    String target = path(entry.getLinkName(), entry.getName(), "hard link target " + entry.getLinkName() + ": ", layer);
                    checkParents(target, entry.getName(), symlinks, files, layer);
                    if (!files.contains(target)) {
                        throw refused(layer, entry.getName(), "hard link to " + entry.getLinkName()
                                + ", which the layer does not contain");
                    }
                }
                symlinks.remove(path);
                files.remove(path);
                dirs.remove(path);
                if (entry.isSymbolicLink()) {
                    symlinks.add(path);
                } else if (entry.isDirectory()) {
                    dirs.add(path);
                } else if (!path.substring(path.lastIndexOf('/') + 1).startsWith(".wh.")) {
                    files.add(path);
                }
            }
        } catch (ImageException e) {
            throw e;
        } catch (EOFException e) {
            throw new ImageException(layer + " is truncated (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new ImageException(layer + " is not a readable tar (" + e.getMessage() + ")");
        }
        if (entries == 0) {
            throw new ImageException(layer + " is not a tar archive (no entries)");
        }
    }

    private static void checkParents(String path, String name, Set<String> symlinks, Set<String> files, String layer)
            throws ImageException {
        int slash = path.indexOf('/');
        while (slash >= 0) {
            String prefix = path.substring(0, slash);
            if (symlinks.contains(prefix)) {
                throw refused(layer, name, "its path goes through the symbolic link " + prefix);
            }
            if (files.contains(prefix)) {
                throw refused(layer, name, "its path goes through the non-directory " + prefix);
            }
            slash = path.indexOf('/', slash + 1);
        }
    }

    private static String path(String name, String entryName, String what, String layer) throws ImageException {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw refused(layer, entryName, what + "'..' in a path could escape the layer");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    private static ImageException refused(String layer, String name, String why) {
        return new ImageException(layer + ": refused entry " + name + ": " + why);
    }
}
