package dev.vessel.cli.image;

import dev.vessel.cli.VesselException;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.StoreWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tag", mixinStandardHelpOptions = true, description = "Give an image another name: SOURCE TARGET.")
public final class TagCommand extends ImageCommandBase {
    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
    String target;

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
