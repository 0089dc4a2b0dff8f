package dev.vessel.cli.container;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.cli.registry.PullPolicy;
import dev.vessel.engine.Containers;
import dev.vessel.runtime.OciException;

/** Base of the container verbs: the engine over the chosen root, and Docker's exit statuses. */
abstract class ContainerCommand extends VesselCommand {
    private Containers containers;

    Containers containers() {
        if (containers == null) {
            containers = new Containers(root());
        }
        return containers;
    }

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } catch (OciException e) {
            // 126 (cannot invoke) and 127 (not found) as Docker; other runtime failures are the engine's.
            int status = e.status() == 126 || e.status() == 127 ? e.status() : VesselException.ENGINE_ERROR;
            throw new VesselException(status, e.getMessage());
        }
    }

    protected abstract int execute() throws Exception;

    /** Pulls the image first when the --pull policy asks for it (see {@link PullPolicy}). */
    protected void ensureImage(String image, String policy) throws Exception {
        PullPolicy.apply(root(), image, policy, true, true, err());
    }
}
