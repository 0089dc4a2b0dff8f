package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.engine.container.ContainerRecord;
import picocli.CommandLine.Model.CommandSpec;

final class PruneCommand extends ContainerCommand {
    boolean force;

    /** A fresh model of `prune`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        PruneCommand c = new PruneCommand();
        SpecBuilder s = SpecBuilder.command(c, "prune", "Remove all stopped containers");
        s.flag(v -> c.force = v, "Do not prompt for confirmation", "-f", "--force");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int execute() throws Exception {
        out().println("Deleted Containers:");
        for (ContainerRecord record : containers().list()) {
            if (!record.state().running()) {
                containers().remove(record.id(), false, false);
                out().println(record.id());
            }
        }
        return 0;
    }
}
