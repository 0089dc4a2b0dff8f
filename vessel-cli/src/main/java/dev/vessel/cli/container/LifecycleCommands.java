package dev.vessel.cli.container;

import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.runtime.Signals;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** stop, restart, kill, pause, unpause, wait, rename: small verbs over the engine. */
final class LifecycleCommands {
    private LifecycleCommands() {
    }

    /** Runs an action on each named container; Docker prints each name, or an error and exits 1. */
    abstract static class EachContainer extends ContainerCommand {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        protected int execute() throws Exception {
            int status = 0;
            for (String name : names) {
                try {
                    apply(containers().find(name));
                    out().println(name);
                } catch (Exception e) {
                    err().println("Error response from daemon: " + e.getMessage());
                    status = 1;
                }
            }
            return status;
        }

        abstract void apply(ContainerRecord record) throws Exception;
    }

    static int stopSignal(ContainerRecord record) {
        String signal = record.config().stopSignal();
        return Signals.parse(signal == null ? "SIGTERM" : signal);
    }

    static int stopTimeout(ContainerRecord record, Integer flag) {
        if (flag != null) {
            return flag;
        }
        return record.config().stopTimeout() != null ? record.config().stopTimeout() : 10;
    }

    @Command(name = "stop", description = "Stop one or more running containers")
    static final class Stop extends EachContainer {
        @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing the container")
        Integer time;
        @Option(names = {"-s", "--signal"}, description = "Signal to send to the container")
        String signal;

        @Override
        void apply(ContainerRecord record) throws Exception {
            int sig = signal != null ? Signals.parse(signal) : stopSignal(record);
            containers().stop(record, sig, stopTimeout(record, time));
        }
    }

    @Command(name = "restart", description = "Restart one or more containers")
    static final class Restart extends EachContainer {
        @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing the container")
        Integer time;

        @Override
        void apply(ContainerRecord record) throws Exception {
            ContainerRecord stopped = containers().stop(record, stopSignal(record), stopTimeout(record, time));
            containers().startDetached(stopped);
        }
    }

    @Command(name = "kill", description = "Kill one or more running containers")
    static final class Kill extends EachContainer {
        @Option(names = {"-s", "--signal"}, defaultValue = "KILL", description = "Signal to send to the container")
        String signal;

        @Override
        void apply(ContainerRecord record) throws Exception {
            containers().kill(record, Signals.parse(signal));
        }
    }

    @Command(name = "pause", description = "Pause all processes within one or more containers")
    static final class Pause extends EachContainer {
        @Override
        void apply(ContainerRecord record) throws Exception {
            containers().pause(record, true);
        }
    }

    @Command(name = "unpause", description = "Unpause all processes within one or more containers")
    static final class Unpause extends EachContainer {
        @Override
        void apply(ContainerRecord record) throws Exception {
            containers().pause(record, false);
        }
    }

    @Command(name = "wait", description = "Block until one or more containers stop, then print their exit codes")
    static final class Wait extends ContainerCommand {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        protected int execute() throws Exception {
            int status = 0;
            for (String name : names) {
                try {
                    out().println(containers().waitFor(containers().find(name)));
                } catch (Exception e) {
                    err().println("Error response from daemon: " + e.getMessage());
                    status = 1;
                }
            }
            return status;
        }
    }

    @Command(name = "rename", description = "Rename a container")
    static final class Rename extends ContainerCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String container;
        @Parameters(index = "1", paramLabel = "NEW_NAME")
        String newName;

        @Override
        protected int execute() throws Exception {
            containers().store().rename(containers().store().resolve(container).id(), newName);
            return 0;
        }
    }

    /** Hidden: what a detached container's monitor runs after it exits, to apply the restart policy. */
    @Command(name = "__restart", hidden = true)
    static final class ApplyRestartPolicy extends ContainerCommand {
        @Parameters(index = "0")
        String id;

        @Override
        protected int execute() throws Exception {
            containers().applyRestartPolicy(id);
            return 0;
        }
    }
}
