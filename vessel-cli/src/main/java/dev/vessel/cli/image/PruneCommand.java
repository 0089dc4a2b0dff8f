package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.format.Units;
import dev.vessel.image.Image;
import dev.vessel.image.StoreWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

public final class PruneCommand extends ImageCommandBase {
    boolean all;

    boolean force;

    /** A fresh model of `prune`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        PruneCommand c = new PruneCommand();
        SpecBuilder s = SpecBuilder.command(c, "prune", "Remove dangling (untagged) images, or with -a every image, and blobs no image uses.");
        s.flag(v -> c.all = v, "Remove all images not used by a container, not just dangling ones.", "-a", "--all");
        s.flag(v -> c.force = v, "Do not prompt for confirmation.", "-f", "--force");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        if (!force) {
            err().print(all
                    ? "WARNING! This will remove all images without at least one container associated to them.\n"
                    : "WARNING! This will remove all dangling images.\n");
            err().print("Are you sure you want to continue? [y/N] ");
            err().flush();
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            if (answer == null || !answer.strip().equalsIgnoreCase("y")) {
                return 0;
            }
        }
        List<String> deleted = new ArrayList<>();
        long reclaimed;
        java.util.Map<String, String> inUse = imagesInUse();
        try (StoreWriter writer = store().writer()) {
            long before = blobBytes(writer);
            for (Image image : writer.images()) {
                if ((all || image.dangling()) && !inUse.containsKey(image.id().toString())) {
                    for (var tag : image.tags()) {
                        deleted.add("untagged: " + tag.familiarString());
                    }
                    writer.removeImage(image.manifestDigest());
                    if (writer.images().stream().noneMatch(i -> i.id().equals(image.id()))) {
                        deleted.add("deleted: " + image.id());
                    }
                }
            }
            writer.commit();
            writer.collectGarbage();
            reclaimed = before - blobBytes(writer);
        }
        if (!deleted.isEmpty()) {
            out().println("Deleted Images:");
            deleted.forEach(out()::println);
            out().println();
        }
        out().println("Total reclaimed space: " + Units.humanSize(Math.max(0, reclaimed)));
        return 0;
    }

    private static long blobBytes(StoreWriter writer) throws java.io.IOException {
        java.nio.file.Path dir = writer.store().blobs().dir().resolve("sha256");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        long total = 0;
        try (var files = java.nio.file.Files.list(dir)) {
            for (var file : files.toList()) {
                total += java.nio.file.Files.size(file);
            }
        }
        return total;
    }
}
