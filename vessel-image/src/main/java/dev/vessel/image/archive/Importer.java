package dev.vessel.image.archive;

import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.layer.Compression;
import dev.vessel.image.layer.LayerValidator;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.oci.MediaTypes;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code docker import}: a root file system tarball (plain, gzip or zstd) becomes a one-layer
 * image. The layer is stored uncompressed, so its digest is its diff ID.
 */
public final class Importer {
    private final StoreWriter writer;
    private final ProgressListener progress;

    public Importer(StoreWriter writer, ProgressListener progress) {
        this.writer = writer;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    /**
     * @param source  names the input in errors and in the history comment
     * @param name    the reference to tag, or null
     * @param changes {@code --change} instructions
     * @param message {@code --message}, or null
     */
    public Image importTarball(InputStream raw, String source, ImageReference name, List<String> changes,
            String message, Instant created) throws IOException {
        ImageConfig.Config runConfig = ConfigChanges.apply(ImageConfig.Config.empty(), changes);
        Descriptor layer;
        try {
            var buffered = Compression.buffered(new CountingInputStream(raw, progress));
            InputStream plain = Compression.detect(buffered).decompress(buffered);
            layer = writer.putBlob(plain, MediaTypes.OCI_LAYER, null, -1);
        } catch (EOFException e) {
            throw new ImageException(source + ": truncated input (" + e.getMessage() + ")");
        }
        checkTar(layer.digest(), source);
        String when = created.truncatedTo(ChronoUnit.NANOS).toString();
        String comment = message != null ? message : "Imported from " + source;
        ImageConfig config = new ImageConfig(when, null, Platforms.hostArchitecture(), "linux", null,
                emptyToNull(runConfig), new ImageConfig.RootFs("layers", List.of(layer.digest())),
                List.of(new ImageConfig.History(when, "vessel import " + source, null, comment, null)));
        Descriptor configBlob = writer.putBlob(Json.bytes(config), MediaTypes.OCI_CONFIG);
        Image image = writer.putImage(Json.bytes(Manifest.oci(configBlob, List.of(layer))));
        if (name != null) {
            writer.tag(name, image.manifestDigest());
        }
        return image;
    }

    private static ImageConfig.Config emptyToNull(ImageConfig.Config config) {
        return config.equals(ImageConfig.Config.empty()) ? null : config;
    }

    /** Refuses input that is not a tar, or whose entries would escape the layer directory. */
    private void checkTar(Digest layer, String source) throws IOException {
        LayerValidator.check(writer.blobFile(layer), source);
    }
}
