package dev.vessel.cli.image;

import dev.vessel.cli.VerbGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The verbs for images and the image store. */
public final class ImageVerbs implements VerbGroup {
    @Override
    public List<Class<?>> commands() {
        return List.of(ImageCommand.class, ImagesCommand.class, LoadCommand.class, SaveCommand.class,
                ImportCommand.class, TagCommand.class, RmiCommand.class, HistoryCommand.class, BuildCommand.class,
                BuilderCommand.class);
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("images"), List.of("images", "--format", "json"), List.of("image", "inspect", "busybox"),
                List.of("load", "-i", "/nonexistent.tar"), List.of("build", "-q", "-t", "train", trainingContext()),
                List.of("build", "-q", "-t", "train", trainingContext()));
    }

    /** A small context for the training build (twice: the second is all cache hits), made when training runs. */
    private static String trainingContext() {
        try {
            Path dir = Files.createTempDirectory("vessel-train-context");
            dir.toFile().deleteOnExit();
            Files.writeString(dir.resolve("file"), "training\n");
            Files.writeString(dir.resolve("Containerfile"), "FROM scratch\nARG A=1\nENV B=$A\nCOPY file /\n"
                    + "WORKDIR /srv\nLABEL x=y\nCMD [\"/file\"]\n");
            for (String name : List.of("file", "Containerfile")) {
                dir.resolve(name).toFile().deleteOnExit();
            }
            return dir.toString();
        } catch (IOException e) {
            return "/nonexistent";
        }
    }
}
