package dev.vessel.cli.image;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs for images and the image store. */
public final class ImageVerbs implements VerbGroup {
    @Override
    public List<Class<?>> commands() {
        return List.of(ImageCommand.class, ImagesCommand.class, LoadCommand.class, SaveCommand.class,
                ImportCommand.class, TagCommand.class, RmiCommand.class, HistoryCommand.class, BuildCommand.class);
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("images"), List.of("images", "--format", "json"), List.of("image", "inspect", "busybox"),
                List.of("load", "-i", "/nonexistent.tar"));
    }
}
