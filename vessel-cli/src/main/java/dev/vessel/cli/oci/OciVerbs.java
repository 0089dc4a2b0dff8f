package dev.vessel.cli.oci;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs for the OCI runtime (vessel oci ...). */
public final class OciVerbs implements VerbGroup {
    @Override
    public List<Object> commands() {
        return List.of();
    }
}
