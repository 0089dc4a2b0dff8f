package dev.vessel.engine.container;

import java.io.IOException;

/** No container has that name, ID or ID prefix. */
public final class ContainerNotFoundException extends IOException {
    public ContainerNotFoundException(String nameOrId) {
        super("No such container: " + nameOrId);
    }
}
