package dev.vessel.cli.image;

import dev.vessel.cli.VerbGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The verbs for images and the image store. */
public final class ImageVerbs implements VerbGroup {
    @Override
    public Map<String, Class<?>> commandsByName() {
        return VerbGroup.inOrder("image", ImageCommand.class, "images", ImagesCommand.class, "load", LoadCommand.class,
                "save", SaveCommand.class, "import", ImportCommand.class, "tag", TagCommand.class, "rmi", RmiCommand.class,
                "history", HistoryCommand.class, "build", BuildCommand.class, "builder", BuilderCommand.class);
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
