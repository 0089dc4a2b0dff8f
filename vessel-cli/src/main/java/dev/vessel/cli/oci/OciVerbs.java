package dev.vessel.cli.oci;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs for the OCI runtime (vessel oci ...). */
public final class OciVerbs implements VerbGroup {
    @Override
    public Runnable preload(String verb) {
        return verb.equals("oci") ? dev.vessel.runtime.ClassPreload.forContainers() : null;
    }

    @Override
    public List<Class<?>> commands() {
        return List.of(OciCommand.class);
    }

    @Override
    public List<List<String>> trainingLines() {
        // Against an empty state root: the parsing, state and error paths of the common verbs.
        return List.of(
                List.of("oci", "--help"),
                List.of("oci", "__train"),
                List.of("oci", "spec", "--bundle", "/nonexistent-vessel-training"),
                List.of("oci", "list"),
                List.of("oci", "state", "no-such-container"),
                List.of("oci", "run", "--bundle", "/nonexistent-vessel-training", "training"),
                List.of("oci", "delete", "--force", "no-such-container"));
    }
}
