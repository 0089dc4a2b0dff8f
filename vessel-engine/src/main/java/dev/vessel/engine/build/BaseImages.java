package dev.vessel.engine.build;

import dev.vessel.image.Image;
import java.io.IOException;

/** Finds the image a FROM or COPY --from names, pulling it when the caller's --pull policy says so. */
@FunctionalInterface
public interface BaseImages {
    Image resolve(String reference) throws IOException;
}
