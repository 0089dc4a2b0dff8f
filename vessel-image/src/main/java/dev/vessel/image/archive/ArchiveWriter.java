package dev.vessel.image.archive;

import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.layer.Compression;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Index;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.store.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes images as a docker-archive or an oci-archive. The output is deterministic (fixed
 * entry order, mtime 0, owner 0:0, no user names), so save -> load -> save gives the same
 * bytes. Every blob is verified against its digest while it is copied.
 */
public final class ArchiveWriter {
    /** An image to save and the names to record for it. */
    public record Entry(Image image, List<ImageReference> names) {
    }

    private final ImageStore store;
    private final ProgressListener progress;

    public ArchiveWriter(ImageStore store, ProgressListener progress) {
        this.store = store;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    public void write(List<Entry> images, ArchiveFormat format, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 10240);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        switch (format) {
            case DOCKER_ARCHIVE -> writeDocker(images, tar);
            case OCI_ARCHIVE -> writeOci(images, tar);
        }
        tar.finish();
        tar.flush();
    }

    // ---- docker-archive: HEX.json configs, HEX.tar uncompressed layers (HEX = diff ID), manifest.json ----

    private void writeDocker(List<Entry> images, TarArchiveOutputStream tar) throws IOException {
        Set<String> written = new LinkedHashSet<>();
        List<Map<String, Object>> manifest = new ArrayList<>();
        for (Entry entry : images) {
            Manifest m = store.manifest(entry.image());
            ImageConfig config = store.config(entry.image());
            List<Digest> diffIds = config.diffIds();
            if (diffIds.size() != m.layers().size()) {
                throw new ImageException("image " + entry.image().id().shortHex() + " is inconsistent: "
                        + m.layers().size() + " layers but " + diffIds.size() + " diff IDs");
            }
            List<String> layerNames = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                String name = diffIds.get(i).hex() + ".tar";
                layerNames.add(name);
                if (written.add(name)) {
                    writeUncompressedLayer(tar, name, m.layers().get(i), diffIds.get(i));
                }
            }
            String configName = entry.image().id().hex() + ".json";
            if (written.add(configName)) {
                writeBlob(tar, configName, m.config().digest(), m.config().size());
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("Config", configName);
            List<String> tags = entry.names().stream().map(ImageReference::familiarString).toList();
            item.put("RepoTags", tags.isEmpty() ? null : tags);
            item.put("Layers", layerNames);
            manifest.add(item);
        }
        writeBytes(tar, "manifest.json", Json.bytes(manifest));
    }

    private void writeUncompressedLayer(TarArchiveOutputStream tar, String name, Descriptor layer, Digest diffId)
            throws IOException {
        Compression compression = Compression.ofMediaType(layer.mediaType());
        if (compression == Compression.NONE) {
            writeBlob(tar, name, layer.digest(), layer.size());
            return;
        }
        // A tar entry needs its size first: decompress to a scratch file, checking the diff ID.
        Path scratch = Files.createTempFile("vessel-save-", ".tar");
        try {
            MessageDigest sha256 = Digest.newSha256();
            try (InputStream in = compression.decompress(Compression.buffered(store.openBlob(layer.digest())));
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(scratch), sha256)) {
                in.transferTo(out);
            }
            Digest actual = Digest.fromBytes(sha256.digest());
            if (!actual.equals(diffId)) {
                throw new ImageException("layer " + layer.digest() + " decompresses to " + actual
                        + ", not its diff ID " + diffId);
            }
            long size = Files.size(scratch);
            tar.putArchiveEntry(fileEntry(name, size));
            try (InputStream in = Files.newInputStream(scratch)) {
                copy(in, tar);
            }
            tar.closeArchiveEntry();
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    // ---- oci-archive: an OCI layout in a tar ----

    private void writeOci(List<Entry> images, TarArchiveOutputStream tar) throws IOException {
        writeBytes(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
        tar.putArchiveEntry(dirEntry("blobs/"));
        tar.closeArchiveEntry();
        tar.putArchiveEntry(dirEntry("blobs/sha256/"));
        tar.closeArchiveEntry();
        Set<Digest> written = new LinkedHashSet<>();
        List<Descriptor> manifests = new ArrayList<>();
        for (Entry entry : images) {
            Image image = entry.image();
            Manifest m = store.manifest(image);
            for (Descriptor layer : m.layers()) {
                if (written.add(layer.digest())) {
                    writeBlob(tar, blobPath(layer.digest()), layer.digest(), layer.size());
                }
            }
            if (written.add(m.config().digest())) {
                writeBlob(tar, blobPath(m.config().digest()), m.config().digest(), m.config().size());
            }
            long manifestSize = store.blobSize(image.manifestDigest());
            if (written.add(image.manifestDigest())) {
                writeBlob(tar, blobPath(image.manifestDigest()), image.manifestDigest(), manifestSize);
            }
            String mediaType = image.manifestMediaType() == null ? MediaTypes.OCI_MANIFEST : image.manifestMediaType();
            Descriptor descriptor = new Descriptor(mediaType, image.manifestDigest(), manifestSize);
            if (entry.names().isEmpty()) {
                manifests.add(descriptor);
            }
            for (ImageReference name : entry.names()) {
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put(Index.CONTAINERD_NAME, name.toString());
                annotations.put(Index.REF_NAME, name.familiarString());
                manifests.add(descriptor.withAnnotations(annotations));
            }
        }
        writeBytes(tar, "index.json", Json.bytes(new Index(2, MediaTypes.OCI_INDEX, manifests, null)));
    }

    private static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    // ---- tar entries ----

    private void writeBlob(TarArchiveOutputStream tar, String name, Digest digest, long size) throws IOException {
        long actualSize = store.blobSize(digest);
        if (actualSize != size) {
            throw new ImageException("blob " + digest + " has " + actualSize + " bytes, its descriptor says " + size);
        }
        tar.putArchiveEntry(fileEntry(name, size));
        try (InputStream in = store.openBlob(digest)) {
            copy(in, tar);
            if (in instanceof VerifyingInputStream verifying) {
                verifying.drainAndVerify();
            }
        }
        tar.closeArchiveEntry();
    }

    private void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[1 << 20];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            progress.advanced(n);
        }
    }

    private static void writeBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        tar.putArchiveEntry(fileEntry(name, bytes.length));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry fileEntry(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(size);
        entry.setMode(0100644);
        normalise(entry);
        return entry;
    }

    private static TarArchiveEntry dirEntry(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(040755);
        normalise(entry);
        return entry;
    }

    private static void normalise(TarArchiveEntry entry) {
        entry.setModTime(0);
        entry.setIds(0, 0);
        entry.setUserName("");
        entry.setGroupName("");
    }
}
