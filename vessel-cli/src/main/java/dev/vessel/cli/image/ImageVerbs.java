package dev.vessel.cli.image;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs for images and the image store. */
public final class ImageVerbs implements VerbGroup {
    @Override
    public List<Object> commands() {
        return List.of(new ImageCommand(), new ImagesCommand(), new LoadCommand(), new SaveCommand(),
                new ImportCommand(), new TagCommand(), new RmiCommand(), new HistoryCommand());
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("images"), List.of("images", "--format", "json"), List.of("image", "inspect", "busybox"),
                List.of("load", "-i", "/nonexistent.tar"));
    }
}
