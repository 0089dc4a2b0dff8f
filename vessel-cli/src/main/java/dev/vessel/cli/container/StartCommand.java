package dev.vessel.cli.container;

import dev.vessel.engine.container.ContainerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "start", description = "Start one or more stopped containers")
final class StartCommand extends LifecycleCommands.EachContainer {
    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;
    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN")
    boolean interactive;

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
