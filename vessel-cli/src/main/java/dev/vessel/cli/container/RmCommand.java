package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

import dev.vessel.engine.container.ContainerRecord;

final class RmCommand extends LifecycleCommands.EachContainer {
    boolean force;
    boolean volumes;

    static CommandSpec spec() {
        RmCommand c = new RmCommand();
        SpecBuilder s = SpecBuilder.command(c, "rm", "Remove one or more containers");
        s.flag(v -> c.force = v, "Force the removal of a running container (uses SIGKILL)", "-f", "--force");
        s.flag(v -> c.volumes = v, "Remove anonymous volumes associated with the container", "-v", "--volumes");
        return c.finish(s);
    }

    @Override
    void apply(ContainerRecord record) throws Exception {
        containers().remove(record.id(), force, volumes);
    }
}
