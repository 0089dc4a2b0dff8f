package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.archive.ArchiveLoader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

public final class LoadCommand extends ImageCommandBase {
    Path input;

    boolean quiet;

    /** A fresh model of `load`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        LoadCommand c = new LoadCommand();
        SpecBuilder s = SpecBuilder.command(c, "load",
                "Load images from a docker-archive, an oci-archive (tar, optionally gzip/zstd) or an OCI layout directory; reads stdin without -i.");
        s.option(Path.class, v -> c.input = v, "Read from FILE (a tar or an OCI layout directory) instead of stdin.",
                "-i", "--input").label("FILE");
        s.flag(v -> c.quiet = v, "Suppress the load output.", "-q", "--quiet");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        boolean fromStdin = input == null || input.toString().equals("-");
        if (fromStdin && System.console() != null && input == null) {
            throw new VesselException("requested load from stdin, but stdin is a terminal: use -i FILE or redirect stdin");
        }
        ImageStore store = store();
        List<ArchiveLoader.Loaded> loaded;
        try (StoreWriter writer = store.writer(); TerminalProgress progress = new TerminalProgress("Loading")) {
            ArchiveLoader loader = new ArchiveLoader(writer, progress);
            loaded = fromStdin
                    ? loader.load(System.in, "stdin")
                    : loader.load(input);
            writer.commit();
        }
        if (!quiet) {
            for (ArchiveLoader.Loaded image : loaded) {
                if (image.names().isEmpty()) {
                    out().println("Loaded image ID: " + image.image().id());
                }
                for (ImageReference name : image.names()) {
                    out().println("Loaded image: " + name.familiarString());
                }
            }
        }
        return 0;
    }
}
