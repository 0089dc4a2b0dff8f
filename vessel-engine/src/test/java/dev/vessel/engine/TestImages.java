package dev.vessel.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.image.Digest;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.archive.Importer;
import dev.vessel.image.layer.LayerUnpacker;
import dev.vessel.image.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The busybox test image every test tree uses, made offline from Debian's static busybox as
 * bin/busybox-image makes it: /bin/busybox with a hard link per applet, the same directories,
 * /etc/passwd and /etc/group, plus an unprivileged user {@code app} (1000, in groups staff and
 * wheel) for user-resolution tests. Without busybox-static the calling test is skipped.
 */
public final class TestImages {
    public static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false
            bin:x:2:2:bin:/bin:/bin/false
            sys:x:3:3:sys:/dev:/bin/false
            mail:x:8:8:mail:/var/spool/mail:/bin/false
            www-data:x:33:33:www-data:/var/www:/bin/false
            app:x:1000:1000:app:/home/app:/bin/sh
            nobody:x:65534:65534:nobody:/home:/bin/false
            """;
    private static final String GROUP = """
            root:x:0:
            daemon:x:1:
            bin:x:2:
            sys:x:3:
            tty:x:5:
            wheel:x:10:root,app
            mail:x:12:
            www-data:x:33:
            staff:x:50:app
            users:x:100:
            app:x:1000:
            nogroup:x:65534:
            """;
    private static final List<String> DIRECTORIES = List.of("bin", "dev", "etc", "home", "home/app", "proc", "root",
            "sbin", "sys", "tmp", "usr", "usr/bin", "usr/sbin", "var", "var/spool", "var/spool/mail");
    private static byte[] layer;

    private TestImages() {
    }

    public static boolean available() {
        return Files.isExecutable(BUSYBOX);
    }

    /** Skips the calling test when busybox-static is not installed. */
    public static void assumeAvailable() {
        assumeTrue(available(), "busybox-static is not installed (bin/install-deps installs it)");
    }

    /** Imports busybox:latest (CMD ["sh"], PATH set) into the store under root. */
    public static void busybox(Path root) throws IOException {
        byte[] tar = busyboxLayer();
        ImageStore store = ImageStore.open(root);
        try (StoreWriter writer = store.writer()) {
            new Importer(writer, null).importTarball(new ByteArrayInputStream(tar), "busybox",
                    ImageReference.parse("busybox"), List.of("CMD [\"sh\"]",
                            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), null, Instant.EPOCH);
            writer.commit();
        }
    }

    /** The image's root file system unpacked into dir (by Vessel's own layer unpacker); dir. */
    public static Path busyboxRootfs(Path dir) throws IOException {
        byte[] tar = busyboxLayer();
        Files.createDirectories(dir);
        new LayerUnpacker(dir).unpack(new ByteArrayInputStream(tar), MediaTypes.OCI_LAYER, Digest.of(tar));
        return dir;
    }

    /** The image's only layer: an uncompressed, reproducible tar (sorted, fixed times, root-owned). */
    public static synchronized byte[] busyboxLayer() throws IOException {
        assumeAvailable();
        if (layer != null) {
            return layer.clone();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String dir : DIRECTORIES) {
                TarArchiveEntry entry = new TarArchiveEntry(dir + "/", TarConstants.LF_DIR, true);
                entry.setMode(dir.equals("tmp") ? 041777 : dir.equals("root") ? 040700 : 040755);
                put(tar, entry, null);
            }
            file(tar, "bin/busybox", Files.readAllBytes(BUSYBOX), 0755);
            for (String applet : applets()) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarConstants.LF_LINK, true);
                link.setLinkName("bin/busybox");
                link.setMode(0100755);
                put(tar, link, null);
            }
            file(tar, "etc/passwd", PASSWD.getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/group", GROUP.getBytes(StandardCharsets.UTF_8), 0644);
        }
        layer = bytes.toByteArray();
        return layer.clone();
    }

    /** The applets this busybox has (`busybox --list`), sorted. */
    private static List<String> applets() throws IOException {
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        List<String> applets = new ArrayList<>();
        for (String line : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.strip().equals("busybox") && !line.contains("/")) {
                applets.add(line.strip());
            }
        }
        try {
            list.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return applets.stream().sorted().toList();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setMode(0100000 | mode);
        entry.setSize(content.length);
        put(tar, entry, content);
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] content) throws IOException {
        entry.setModTime(Instant.EPOCH.toEpochMilli());
        entry.setIds(0, 0);
        tar.putArchiveEntry(entry);
        if (content != null) {
            tar.write(content);
        }
        tar.closeArchiveEntry();
    }
}
