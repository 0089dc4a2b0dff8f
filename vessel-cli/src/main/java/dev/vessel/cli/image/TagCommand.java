package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

import dev.vessel.cli.VesselException;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.StoreWriter;

/** `vessel tag`, and `vessel image tag` (its model declared in code, see {@link SpecBuilder}). */
public final class TagCommand extends ImageCommandBase {
    String source;
    String target;

    static CommandSpec spec() {
        TagCommand c = new TagCommand();
        SpecBuilder s = SpecBuilder.command(c, "tag", "Give an image another name: SOURCE TARGET.");
        s.positional("0", "SOURCE_IMAGE[:TAG]", v -> c.source = v, "");
        s.positional("1", "TARGET_IMAGE[:TAG]", v -> c.target = v, "");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        ImageReference ref;
        try {
            ref = ImageReference.parse(target);
        } catch (IllegalArgumentException e) {
            throw new VesselException(e.getMessage());
        }
        if (!ref.isTagged()) {
            throw new VesselException("refusing to create a tag with a digest reference: " + target);
        }
        try (StoreWriter writer = store().writer()) {
            Image image = resolve(writer, source);
            writer.tag(ref, image.manifestDigest());
            writer.commit();
        }
        return 0;
    }

    private static Image resolve(StoreWriter writer, String text) throws java.io.IOException {
        try {
            return writer.resolve(text);
        } catch (dev.vessel.image.ImageNotFoundException e) {
            throw new VesselException(NOT_FOUND, e.getMessage());
        }
    }
}
