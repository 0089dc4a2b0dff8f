package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.os.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `vessel builder prune`: forgets the build cache and frees the layers only it kept. The models are
 * declared in code ({@link SpecBuilder}); {@link ImageVerbs#configure} adds prune.
 */
public final class BuilderCommand implements Runnable {
    private CommandSpec spec;

    static CommandSpec spec() {
        BuilderCommand c = new BuilderCommand();
        SpecBuilder s = SpecBuilder.command(c, "builder", "Manage the build cache.");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Prune extends VesselCommand {
        boolean force;
        boolean all;

        static CommandSpec spec() {
            Prune c = new Prune();
            SpecBuilder s = SpecBuilder.command(c, "prune", "Remove the build cache");
            s.flag(v -> c.force = v, "Do not prompt for confirmation (there is no prompt)", "-f", "--force");
            s.flag(v -> c.all = v, "Remove all of the cache (the default: there is one kind)", "-a", "--all");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        public Integer call() throws Exception {
            Path cacheDir = root().resolve("build-cache");
            long entries = 0;
            if (Files.isDirectory(cacheDir)) {
                try (var list = Files.list(cacheDir)) {
                    entries = list.count();
                }
            }
            try (StoreWriter writer = ImageStore.open(root()).writer()) {
                // entries first: a cache entry whose blob is gone is a miss, never a wrong hit
                AtomicFiles.deleteTree(cacheDir);
                writer.clearBuildCache();
                writer.commit();
            }
            out().println("Deleted build cache entries: " + entries);
            return 0;
        }
    }
}
