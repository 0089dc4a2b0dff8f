package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselException;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.archive.ArchiveFormat;
import dev.vessel.image.archive.ArchiveWriter;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

public final class SaveCommand extends ImageCommandBase {
    Path output;

    String format;

    List<String> images;

    /** A fresh model of `save`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        SaveCommand c = new SaveCommand();
        SpecBuilder s = SpecBuilder.command(c, "save",
                "Save images to a tar archive (docker-archive by default), streamed to stdout without -o.");
        s.option(Path.class, v -> c.output = v, "Write to FILE instead of stdout.", "-o", "--output").label("FILE");
        s.option("docker-archive", v -> c.format = v, "docker-archive (default) or oci-archive.", "--format")
                .label("FORMAT");
        s.oneOrMore("0", "IMAGE", v -> c.images = v, "Images to save (name[:tag], name@digest or ID).");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        ArchiveFormat archiveFormat = ArchiveFormat.parse(format);
        ImageStore store = store();
        List<ArchiveWriter.Entry> entries = new ArrayList<>();
        for (String text : images) {
            Image image = resolve(store, text);
            entries.add(new ArchiveWriter.Entry(image, namesFor(text, image)));
        }
        try (TerminalProgress progress = new TerminalProgress("Saving")) {
            ArchiveWriter writer = new ArchiveWriter(store, progress);
            if (output == null || output.toString().equals("-")) {
                if (System.console() != null && output == null) {
                    throw new VesselException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
                }
                OutputStream out = new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 20);
                writer.write(entries, archiveFormat, out);
                out.flush();
            } else {
                writeFile(writer, entries, archiveFormat);
            }
        }
        return 0;
    }

    /**
     * Writes next to the target and renames it into place, so a failed save leaves no half file.
     * Not fsynced: the archive is the user's file, not store data (docker and skopeo do not either).
     */
    private void writeFile(ArchiveWriter writer, List<ArchiveWriter.Entry> entries, ArchiveFormat archiveFormat)
            throws IOException {
        Path target = output.toAbsolutePath();
        Path temp = target.resolveSibling("." + target.getFileName() + ".vessel-" + ProcessHandle.current().pid());
        try {
            try (FileOutputStream file = new FileOutputStream(temp.toFile());
                 OutputStream out = new BufferedOutputStream(file, 1 << 20)) {
                writer.write(entries, archiveFormat, out);
                out.flush();
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A name asks for that name; an ID saves every tag the image has (as Docker). */
    private static List<ImageReference> namesFor(String text, Image image) {
        try {
            ImageReference ref = ImageReference.parse(text);
            if (ref.isTagged() && image.tags().contains(ref)) {
                return List.of(ref);
            }
        } catch (IllegalArgumentException e) {
            // an ID
        }
        return image.tags();
    }
}
