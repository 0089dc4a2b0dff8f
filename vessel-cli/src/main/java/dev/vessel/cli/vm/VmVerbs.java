package dev.vessel.cli.vm;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs for virtual machines (vessel vm ...). */
public final class VmVerbs implements VerbGroup {
    @Override
    public List<Object> commands() {
        return List.of();
    }
}
