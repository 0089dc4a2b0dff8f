package dev.vessel.cli.disk;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs for virtual disks (vessel disk ...). */
public final class DiskVerbs implements VerbGroup {
    @Override
    public List<Object> commands() {
        return List.of(new DiskCommand());
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("disk", "--help"));
    }
}
