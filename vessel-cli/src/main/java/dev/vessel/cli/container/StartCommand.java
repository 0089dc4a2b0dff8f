package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

import dev.vessel.engine.container.ContainerRecord;

final class StartCommand extends LifecycleCommands.EachContainer {
    boolean attach;
    boolean interactive;

    static CommandSpec spec() {
        StartCommand c = new StartCommand();
        SpecBuilder s = SpecBuilder.command(c, "start", "Start one or more stopped containers");
        s.flag(v -> c.attach = v, "Attach STDOUT/STDERR and forward signals", "-a", "--attach");
        s.flag(v -> c.interactive = v, "Attach container's STDIN", "-i", "--interactive");
        return c.finish(s);
    }

    @Override
    protected int execute() throws Exception {
        if (attach || interactive) {
            if (names.size() > 1) {
                throw new IllegalArgumentException("you cannot start and attach multiple containers at once");
            }
            ContainerRecord record = containers().store().resolve(names.get(0));
            return containers().runAttached(record, true);
        }
        return super.execute();
    }

    @Override
    void apply(ContainerRecord record) throws Exception {
        containers().startDetached(record);
    }
}
