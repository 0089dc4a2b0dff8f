package dev.vessel.image.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.layer.Compression;
import dev.vessel.image.layer.LayerValidator;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Index;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.oci.MediaTypes;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Loads images from a docker-archive ({@code docker save}, {@code podman save}), an
 * oci-archive (a tar of an OCI layout) or an OCI layout directory into a {@link StoreWriter}.
 * A tar is read once, as a stream: every file that may be a blob is staged (hashed while
 * copied); metadata files are kept in memory; then the manifests decide which staged blobs
 * become images. The caller commits the writer; until then nothing is visible.
 */
public final class ArchiveLoader {
    private static final Set<String> METADATA = Set.of("manifest.json", "index.json", "oci-layout", "repositories");
    private static final int MAX_METADATA = 16 << 20;

    /** One loaded image and the names the archive gave it (empty when it named none). */
    public record Loaded(Image image, List<ImageReference> names) {
    }

    private final StoreWriter writer;
    private final ProgressListener progress;

    public ArchiveLoader(StoreWriter writer, ProgressListener progress) {
        this.writer = writer;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** Loads from a tar file (optionally gzip/zstd compressed) or an OCI layout directory. */
    public List<Loaded> load(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return loadLayout(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new ImageException("open " + path + ": no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return load(in, path.toString());
        }
    }

    /** Loads from a stream holding a tar (optionally compressed); {@code source} names it in errors. */
    public List<Loaded> load(InputStream raw, String source) throws IOException {
        TarContents contents = new TarContents();
        try {
            var buffered = Compression.buffered(new CountingInputStream(raw, progress));
            InputStream in = Compression.detect(buffered).decompress(buffered);
            readTar(new TarArchiveInputStream(in), contents);
        } catch (ImageException e) {
            throw new ImageException(source + ": " + e.getMessage());
        } catch (EOFException e) {
            throw new ImageException(source + ": truncated archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            throw new ImageException(source + (message.toLowerCase(java.util.Locale.ROOT).contains("truncated")
                    ? ": truncated archive (" : ": not a readable tar archive (") + message + ")");
        }
        try {
            if (contents.metadata.containsKey("manifest.json")) {
                return loadDockerArchive(contents);
            }
            if (contents.metadata.containsKey("index.json")) {
                return loadOci(contents.metadata.get("index.json"), contents::stage);
            }
        } catch (ImageException e) {
            throw new ImageException(source + ": " + e.getMessage());
        }
        throw new ImageException(source + ": not an image archive (no manifest.json or index.json)");
    }

    // ---- reading the tar ----

    private final class TarContents {
        final Map<String, byte[]> metadata = new HashMap<>();
        final Map<String, Descriptor> files = new HashMap<>();
        final Map<String, String> links = new HashMap<>();

        /** The staged file at an archive path, following links. */
        Descriptor file(String name) throws ImageException {
            String current = clean(name);
            for (int hops = 0; hops < 16; hops++) {
                Descriptor found = files.get(current);
                if (found != null) {
                    return found;
                }
                String target = links.get(current);
                if (target == null) {
                    throw new ImageException("the archive has no file " + name);
                }
                current = target;
            }
            throw new ImageException("too many levels of links at " + name);
        }

        /** The staged blob an OCI descriptor names, checked against its size. */
        Descriptor stage(Descriptor wanted) throws IOException {
            String path = "blobs/" + wanted.digest().algorithm() + "/" + wanted.digest().hex();
            Descriptor found;
            try {
                found = file(path);
            } catch (ImageException e) {
                throw new ImageException("manifest names a missing blob " + wanted.digest());
            }
            if (found.size() != wanted.size()) {
                throw new ImageException("blob " + wanted.digest() + " has " + found.size()
                        + " bytes but its descriptor says " + wanted.size());
            }
            return found;
        }
    }

    private void readTar(TarArchiveInputStream tar, TarContents contents) throws IOException {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = clean(entry.getName());
            if (entry.isSymbolicLink()) {
                String base = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
                String target = entry.getLinkName().startsWith("/") ? entry.getLinkName() : base + entry.getLinkName();
                contents.links.put(name, clean(target));
            } else if (entry.isLink()) {
                contents.links.put(name, clean(entry.getLinkName()));
            } else if (entry.isFile()) {
                if (METADATA.contains(name)) {
                    if (entry.getSize() > MAX_METADATA) {
                        throw new ImageException(name + " is too large (" + entry.getSize() + " bytes)");
                    }
                    byte[] bytes = tar.readNBytes((int) entry.getSize());
                    if (bytes.length != entry.getSize()) {
                        throw new EOFException("Truncated TAR archive");
                    }
                    contents.metadata.put(name, bytes);
                } else {
                    Digest expected = expectedDigest(name);
                    Descriptor staged;
                    try {
                        staged = writer.putBlob(tar, null, expected, entry.getSize());
                    } catch (ImageException e) {
                        throw new ImageException("archive entry " + name + ": " + e.getMessage());
                    }
                    contents.files.put(name, staged);
                }
            }
        }
    }

    /** A file named by its digest ({@code blobs/sha256/HEX}, {@code HEX.json}) must have that digest. */
    private static Digest expectedDigest(String name) throws ImageException {
        String[] parts = name.split("/");
        if (parts.length == 3 && parts[0].equals("blobs")) {
            try {
                return new Digest(parts[1], parts[2]);
            } catch (IllegalArgumentException e) {
                throw new ImageException("archive entry " + name + ": " + e.getMessage());
            }
        }
        if (parts.length == 1 && name.endsWith(".json") && Digest.isDigest("sha256:" + name.substring(0, name.length() - 5))) {
            return Digest.ofHex(name.substring(0, name.length() - 5));
        }
        return null;
    }

    /** Archive paths without a leading {@code ./} or {@code /}, with {@code .} and {@code ..} folded. */
    static String clean(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    // ---- docker-archive ----

    private List<Loaded> loadDockerArchive(TarContents contents) throws IOException {
        JsonNode manifest;
        try {
            manifest = Json.mapper().readTree(contents.metadata.get("manifest.json"));
        } catch (IOException e) {
            throw new ImageException("invalid manifest.json: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (manifest == null || !manifest.isArray() || manifest.isEmpty()) {
            throw new ImageException("invalid manifest.json: expected a non-empty list of images");
        }
        List<Loaded> loaded = new ArrayList<>();
        for (JsonNode item : manifest) {
            String configName = item.path("Config").asText("");
            if (configName.isEmpty()) {
                throw new ImageException("invalid manifest.json: an image has no Config");
            }
            Descriptor configFile = contents.file(configName);
            byte[] configBytes = writer.readBlob(configFile.digest());
            ImageConfig config = Json.read(configBytes, ImageConfig.class, "image config " + configName);
            List<Digest> diffIds = config.diffIds();
            JsonNode layerNames = item.path("Layers");
            if (layerNames.size() != diffIds.size()) {
                throw new ImageException("image config " + configName + " lists " + diffIds.size()
                        + " layers but manifest.json names " + layerNames.size());
            }
            List<Descriptor> layers = new ArrayList<>();
            for (int i = 0; i < layerNames.size(); i++) {
                Descriptor file = contents.file(layerNames.get(i).asText());
                Descriptor layer = dockerLayer(file, diffIds.get(i), layerNames.get(i).asText());
                validateLayer(layer, layerNames.get(i).asText());
                layers.add(layer);
            }
            Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, configFile.digest(), configFile.size());
            Image image = writer.putImage(Json.bytes(Manifest.oci(configDescriptor, layers)));
            List<ImageReference> names = new ArrayList<>();
            for (JsonNode tag : item.path("RepoTags")) {
                ImageReference ref = parseName(tag.asText());
                writer.tag(ref, image.manifestDigest());
                names.add(ref);
            }
            loaded.add(new Loaded(image, names));
        }
        return loaded;
    }

    /** A docker-archive layer must be (or decompress to) the tar its config's diff ID names. */
    private Descriptor dockerLayer(Descriptor file, Digest diffId, String name) throws IOException {
        if (file.digest().equals(diffId)) {
            return new Descriptor(MediaTypes.OCI_LAYER, file.digest(), file.size());
        }
        Compression compression;
        try (InputStream in = Compression.buffered(writer.openBlob(file.digest()))) {
            compression = Compression.detect(in);
            if (compression != Compression.NONE) {
                MessageDigest sha256 = Digest.newSha256();
                try (InputStream plain = compression.decompress(in)) {
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = plain.read(buffer)) > 0) {
                        sha256.update(buffer, 0, n);
                    }
                }
                if (Digest.fromBytes(sha256.digest()).equals(diffId)) {
                    return new Descriptor(compression.ociLayerMediaType(), file.digest(), file.size());
                }
            }
        }
        throw new ImageException("layer " + name + " does not match its diff ID " + diffId + " in the image config");
    }

    /** Refuses a layer whose entries would escape its directory when unpacked. */
    private void validateLayer(Descriptor layer, String name) throws IOException {
        Path file = writer.blobFile(layer.digest());
        if (file == null) {
            throw new ImageException("manifest names a missing blob " + layer.digest());
        }
        Compression compression = Compression.ofMediaType(layer.mediaType());
        String what = name.startsWith("layer ") ? name : "layer " + name;
        if (compression == Compression.NONE) {
            LayerValidator.check(file, what);
            return;
        }
        try (InputStream raw = Files.newInputStream(file)) {
            LayerValidator.check(compression.decompress(Compression.buffered(raw)), what);
        }
    }

    private static ImageReference parseName(String text) throws ImageException {
        try {
            ImageReference ref = ImageReference.parse(text);
            if (!ref.isTagged()) {
                throw new ImageException("invalid image name in archive: " + text + " (a name:tag is needed)");
            }
            return ref;
        } catch (IllegalArgumentException e) {
            throw new ImageException("invalid image name in archive: " + e.getMessage());
        }
    }

    // ---- OCI layout (in a tar or a directory) ----

    /** Finds (staging if needed) the blob a descriptor names, verified against digest and size. */
    @FunctionalInterface
    private interface BlobSource {
        Descriptor stage(Descriptor wanted) throws IOException;
    }

    private List<Loaded> loadLayout(Path dir) throws IOException {
        Path index = dir.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            throw new ImageException(dir + ": not an OCI layout (no index.json)");
        }
        try {
            return loadOci(Files.readAllBytes(index), wanted -> {
                Path file = dir.resolve("blobs").resolve(wanted.digest().algorithm()).resolve(wanted.digest().hex());
                if (!Files.isRegularFile(file)) {
                    throw new ImageException("manifest names a missing blob " + wanted.digest());
                }
                try (InputStream in = new CountingInputStream(Files.newInputStream(file), progress)) {
                    return writer.putBlob(in, wanted.mediaType(), wanted.digest(), wanted.size());
                }
            });
        } catch (ImageException e) {
            throw new ImageException(dir + ": " + e.getMessage());
        }
    }

    private List<Loaded> loadOci(byte[] indexJson, BlobSource blobs) throws IOException {
        Index index = Json.read(indexJson, Index.class, "index.json");
        if (index.manifests().isEmpty()) {
            throw new ImageException("index.json lists no images");
        }
        List<Loaded> loaded = new ArrayList<>();
        for (Descriptor entry : index.manifests()) {
            Descriptor manifestDescriptor = entry;
            if (MediaTypes.isIndex(entry.mediaType())) {
                manifestDescriptor = pickPlatform(blobs, entry);
            }
            if (!MediaTypes.isImageManifest(manifestDescriptor.mediaType())) {
                throw new ImageException("unsupported manifest media type " + manifestDescriptor.mediaType());
            }
            Descriptor staged = blobs.stage(manifestDescriptor);
            byte[] manifestBytes = writer.readBlob(staged.digest());
            Manifest manifest = Json.read(manifestBytes, Manifest.class, "manifest " + staged.digest());
            if (manifest.config() == null) {
                throw new ImageException("manifest " + staged.digest() + " names no config");
            }
            blobs.stage(manifest.config());
            for (Descriptor layer : manifest.layers()) {
                Compression.ofMediaType(layer.mediaType());
                blobs.stage(layer);
                validateLayer(layer, "layer " + layer.digest());
            }
            Image image = writer.putImage(manifestBytes);
            List<ImageReference> names = new ArrayList<>();
            ImageReference name = nameOf(entry);
            if (name != null) {
                writer.tag(name, image.manifestDigest());
                names.add(name);
            }
            loaded.add(new Loaded(image, names));
        }
        return loaded;
    }

    private Descriptor pickPlatform(BlobSource blobs, Descriptor indexDescriptor) throws IOException {
        Descriptor staged = blobs.stage(indexDescriptor);
        Index nested = Json.read(writer.readBlob(staged.digest()), Index.class, "image index " + staged.digest());
        String arch = Platforms.hostArchitecture();
        for (Descriptor candidate : nested.manifests()) {
            var platform = candidate.platform();
            if (platform != null && "linux".equals(platform.os()) && arch.equals(platform.architecture())) {
                return candidate;
            }
        }
        throw new ImageException("image index " + staged.digest() + " has no image for linux/" + arch);
    }

    /** The full name containerd/podman record, else skopeo's ref.name when it is a name (not just a tag). */
    private static ImageReference nameOf(Descriptor entry) throws ImageException {
        String full = entry.annotation(Index.CONTAINERD_NAME);
        if (full != null && !full.isEmpty()) {
            return parseName(full);
        }
        String ref = entry.annotation(Index.REF_NAME);
        if (ref == null || !(ref.contains(":") || ref.contains("/"))) {
            return null;
        }
        try {
            ImageReference parsed = ImageReference.parse(ref);
            return parsed.isTagged() ? parsed : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
