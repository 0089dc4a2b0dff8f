package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselException;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.archive.Importer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

public final class ImportCommand extends ImageCommandBase {
    String file;

    String reference;

    List<String> changes = new ArrayList<>();

    String message;

    /** A fresh model of `import`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        ImportCommand c = new ImportCommand();
        SpecBuilder s = SpecBuilder.command(c, "import",
                "Create a one-layer image from a root file system tarball (FILE, or - for stdin).");
        s.positional("0", "FILE|-", v -> c.file = v, "The tarball (plain, gzip or zstd), or - for stdin.");
        s.optionalPositional("1", "REPOSITORY[:TAG]", v -> c.reference = v, "The name to give the image.");
        s.repeatable(v -> c.changes = v, "Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL,"
                + " EXPOSE, VOLUME, STOPSIGNAL).", "-c", "--change").label("INSTRUCTION");
        s.option(String.class, v -> c.message = v, "Commit message for the imported image.", "-m", "--message")
                .label("TEXT");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        ImageReference name = null;
        if (reference != null) {
            try {
                name = ImageReference.parse(reference);
            } catch (IllegalArgumentException e) {
                throw new VesselException(e.getMessage());
            }
            if (!name.isTagged()) {
                throw new VesselException("invalid reference " + reference + ": import needs a name[:tag]");
            }
        }
        // SOURCE_DATE_EPOCH (reproducible builds) fixes the creation time, hence the image ID.
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        Instant created = epoch != null && epoch.matches("[0-9]+") ? Instant.ofEpochSecond(Long.parseLong(epoch)) : Instant.now();
        Image image;
        try (StoreWriter writer = store().writer(); TerminalProgress progress = new TerminalProgress("Importing")) {
            Importer importer = new Importer(writer, progress);
            if (file.equals("-")) {
                image = importer.importTarball(System.in, "stdin", name, changes, message, created);
            } else {
                Path path = Path.of(file);
                if (!Files.isRegularFile(path)) {
                    throw new VesselException("open " + file + ": no such file");
                }
                try (InputStream in = Files.newInputStream(path)) {
                    image = importer.importTarball(in, file, name, changes, message, created);
                }
            }
            writer.commit();
        }
        out().println(image.id());
        return 0;
    }
}
