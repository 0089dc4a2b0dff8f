package dev.vessel.cli.container;

import dev.vessel.engine.container.ContainerRecord;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Start one or more stopped containers")
final class StartCommand extends ContainerCommand {
    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;
    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN")
    boolean interactive;
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    protected int execute() throws Exception {
        if (attach || interactive) {
            if (names.size() > 1) {
                throw new IllegalArgumentException("you cannot start and attach multiple containers at once");
            }
            ContainerRecord record = containers().store().resolve(names.get(0));
            return containers().runAttached(record, true);
        }
        int status = 0;
        for (String name : names) {
            try {
                containers().startDetached(containers().store().resolve(name));
                out().println(name);
            } catch (Exception e) {
                err().println("Error response from daemon: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }
}
