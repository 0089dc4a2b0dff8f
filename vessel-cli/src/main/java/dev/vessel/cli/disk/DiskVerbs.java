package dev.vessel.cli.disk;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs for virtual disks (vessel disk ...). */
public final class DiskVerbs implements VerbGroup {
    @Override
    public List<Class<?>> commands() {
        return List.of(DiskCommand.class);
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("disk", "--help"));
    }
}
