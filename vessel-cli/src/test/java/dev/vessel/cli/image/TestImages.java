package dev.vessel.cli.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Tars, layers and archives the image tests make for themselves (no network, no peer images). */
final class TestImages {
    static final Path BUSYBOX = dev.vessel.engine.TestImages.BUSYBOX;

    private TestImages() {
    }

    /** A tar being written in memory. */
    static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

        Tar() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        Tar dir(String name) {
            TarArchiveEntry e = new TarArchiveEntry(name + "/", true);
            e.setMode(040755);
            return put(e, null);
        }

        Tar file(String name, byte[] content, int mode) {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setMode(0100000 | mode);
            e.setSize(content.length);
            return put(e, content);
        }

        Tar file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
        }

        Tar link(String name, String target, boolean hard) {
            TarArchiveEntry e = new TarArchiveEntry(name, hard ? TarConstants.LF_LINK : TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            e.setMode(hard ? 0100644 : 0120777);
            return put(e, null);
        }

        private Tar put(TarArchiveEntry e, byte[] content) {
            try {
                e.setModTime(1_600_000_000_000L);
                tar.putArchiveEntry(e);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        byte[] bytes() {
            try {
                tar.finish();
                tar.close();
                return bytes.toByteArray();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** The busybox image's root file system as a layer tar (the engine's test fixture, shared by every test tree). */
    static byte[] busyboxRootfs() throws IOException {
        return dev.vessel.engine.TestImages.busyboxLayer();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A docker-archive (old layout: ID/layer.tar) holding one image made of the given layer tars. */
    static byte[] dockerArchive(String tag, byte[]... layers) {
        List<String> diffIds = new ArrayList<>();
        for (byte[] layer : layers) {
            diffIds.add("\"sha256:" + sha256(layer) + "\"");
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-02T03:04:05Z\","
                + "\"config\":{\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + String.join(",", diffIds) + "]}}").getBytes(StandardCharsets.UTF_8);
        Tar tar = new Tar();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            String name = "layer" + i + "/layer.tar";
            tar.dir("layer" + i).file(name, layers[i], 0644);
            names.add("\"" + name + "\"");
        }
        String configName = sha256(config) + ".json";
        tar.file(configName, config, 0644);
        tar.file("manifest.json", "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":["
                + String.join(",", names) + "]}]");
        return tar.bytes();
    }

    /** Every path under a root with its type, size, mode and content hash: equal before and after means untouched. */
    static TreeMap<String, String> snapshot(Path root) throws IOException {
        TreeMap<String, String> result = new TreeMap<>();
        if (!Files.exists(root)) {
            return result;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    result.put(key, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    result.put(key, "dir");
                } else {
                    result.put(key, "file " + Files.size(p) + " " + sha256(Files.readAllBytes(p)));
                }
            }
        }
        return result;
    }

    /** Copies a tar entry by entry; {@code change} returns new content, the same, or null to drop the entry. */
    static byte[] rewrite(byte[] archive, java.util.function.BiFunction<String, byte[], byte[]> change) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.io.ByteArrayInputStream(archive));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] content = e.isFile() ? in.readAllBytes() : null;
                if (content != null) {
                    content = change.apply(e.getName(), content);
                    if (content == null) {
                        continue;
                    }
                    e.setSize(content.length);
                }
                tar.putArchiveEntry(e);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return out.toByteArray();
    }
}
