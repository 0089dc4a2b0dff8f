package dev.vessel.cli.image;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.image.Image;
import dev.vessel.image.ImageNotFoundException;
import dev.vessel.image.ImageStore;
import java.io.IOException;

/** What image verbs share: the store under --root and Docker's status for a missing image. */
abstract class ImageCommandBase extends VesselCommand {
    /** Docker exits 1 when an image is not found. */
    static final int NOT_FOUND = 1;

    ImageStore store() {
        return ImageStore.open(root());
    }

    /** Image ID -> the ID of a container made from it: such images are not deleted (Docker's rule). */
    java.util.Map<String, String> imagesInUse() throws IOException {
        java.util.Map<String, String> inUse = new java.util.HashMap<>();
        for (var container : new dev.vessel.engine.container.ContainerStore(root()).list()) {
            inUse.putIfAbsent(container.imageId(), container.id());
        }
        return inUse;
    }

    Image resolve(ImageStore store, String text) throws IOException {
        try {
            return store.resolve(text);
        } catch (ImageNotFoundException e) {
            throw new VesselException(NOT_FOUND, e.getMessage());
        }
    }
}
