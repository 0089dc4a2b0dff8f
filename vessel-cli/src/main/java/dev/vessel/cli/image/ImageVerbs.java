package dev.vessel.cli.image;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs for images and the image store. */
public final class ImageVerbs implements VerbGroup {
    @Override
    public List<Object> commands() {
        return List.of();
    }
}
