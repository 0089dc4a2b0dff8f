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
                List.of("load", "-i", "/nonexistent.tar"));
    }

    /** A small build, twice (the second is all cache hits), from a context made under {@code scratch}. */
    @Override
    public List<List<String>> trainingLines(Path scratch) throws IOException {
        Path context = Files.createDirectories(scratch.resolve("build-context"));
        Files.writeString(context.resolve("file"), "training\n");
        Files.writeString(context.resolve("Containerfile"), "FROM scratch\nARG A=1\nENV B=$A\nCOPY file /\n"
                + "WORKDIR /srv\nLABEL x=y\nCMD [\"/file\"]\n");
        List<String> build = List.of("build", "-q", "-t", "train", context.toString());
        return List.of(build, build);
    }

}
