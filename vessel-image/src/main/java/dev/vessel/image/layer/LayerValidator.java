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
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Checks a layer tar's headers against the rules {@link LayerUnpacker} enforces (no
 * {@code ..}, no path through a symbolic link the layer creates, hard links only to files
 * earlier in the layer) without writing anything, so {@code load} and {@code import} refuse a
 * hostile layer before it enters the store. An uncompressed layer file is read with
 * {@link TarFile}, which seeks over content instead of reading it (a stream's skip reads).
 */
public final class LayerValidator {
    private LayerValidator() {
    }

    /** Checks an uncompressed tar file, seeking over content rather than reading it. */
    public static void check(java.nio.file.Path plainTar, String layer) throws IOException {
        List<TarArchiveEntry> entries;
        try (TarFile tar = new TarFile(plainTar)) {
            entries = tar.getEntries();
        } catch (EOFException e) {
            throw new ImageException(layer + " is truncated (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new ImageException(layer + " is not a readable tar (" + e.getMessage() + ")");
        }
        check(entries.iterator(), layer);
    }

    /** @param plain the uncompressed tar; {@code layer} names it in errors */
    public static void check(InputStream plain, String layer) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(plain);
        check(new java.util.Iterator<>() {
            private TarArchiveEntry next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        next = tar.getNextEntry();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    done = next == null;
                }
                return next != null;
            }

            @Override
            public TarArchiveEntry next() {
                hasNext();
                TarArchiveEntry result = next;
                next = null;
                return result;
            }
        }, layer);
    }

    private static void check(java.util.Iterator<TarArchiveEntry> iterator, String layer) throws IOException {
        Set<String> symlinks = new HashSet<>();
        Set<String> files = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        int entries = 0;
        try {
            while (iterator.hasNext()) {
                TarArchiveEntry entry = iterator.next();
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
        } catch (java.io.UncheckedIOException e) {
            IOException cause = e.getCause();
            throw cause instanceof EOFException || String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("truncated")
                    ? new ImageException(layer + " is truncated (" + cause.getMessage() + ")")
                    : new ImageException(layer + " is not a readable tar (" + cause.getMessage() + ")");
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
