package dev.vessel.cli.image;

import dev.vessel.cli.VesselCommand;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.os.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `vessel builder prune`: forgets the build cache and frees the layers only it kept. */
@Command(name = "builder", mixinStandardHelpOptions = true, description = "Manage the build cache.",
        subcommands = BuilderCommand.Prune.class)
public final class BuilderCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "prune", description = "Remove the build cache")
    static final class Prune extends VesselCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation (there is no prompt)")
        boolean force;
        @Option(names = {"-a", "--all"}, description = "Remove all of the cache (the default: there is one kind)")
        boolean all;

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
