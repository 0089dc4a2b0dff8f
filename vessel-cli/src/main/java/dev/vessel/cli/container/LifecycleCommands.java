package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.runtime.Signals;
import java.util.List;

/** stop, restart, kill, pause, unpause, wait, rename: small verbs over the engine. */
final class LifecycleCommands {
    private LifecycleCommands() {
    }

    /** Runs an action on each named container; Docker prints each name, or an error and exits 1. */
    abstract static class EachContainer extends ContainerCommand {
        List<String> names;

        /** The CONTAINER... parameters, and the model's spec for the command. */
        final CommandSpec finish(SpecBuilder s) {
            s.oneOrMore("0", "CONTAINER", v -> names = v, "");
            spec = s.spec();
            return spec;
        }

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

    static final class Stop extends EachContainer {
        Integer time;
        String signal;

        static CommandSpec spec() {
            Stop c = new Stop();
            SpecBuilder s = SpecBuilder.command(c, "stop", "Stop one or more running containers");
            s.option(Integer.class, v -> c.time = v, "Seconds to wait before killing the container", "-t", "--time");
            s.option(String.class, v -> c.signal = v, "Signal to send to the container", "-s", "--signal");
            return c.finish(s);
        }

        @Override
        void apply(ContainerRecord record) throws Exception {
            int sig = signal != null ? Signals.parse(signal) : stopSignal(record);
            containers().stop(record, sig, stopTimeout(record, time));
        }
    }

    static final class Restart extends EachContainer {
        Integer time;

        static CommandSpec spec() {
            Restart c = new Restart();
            SpecBuilder s = SpecBuilder.command(c, "restart", "Restart one or more containers");
            s.option(Integer.class, v -> c.time = v, "Seconds to wait before killing the container", "-t", "--time");
            return c.finish(s);
        }

        @Override
        void apply(ContainerRecord record) throws Exception {
            ContainerRecord stopped = containers().stop(record, stopSignal(record), stopTimeout(record, time));
            containers().startDetached(stopped);
        }
    }

    static final class Kill extends EachContainer {
        String signal = "KILL";

        static CommandSpec spec() {
            Kill c = new Kill();
            SpecBuilder s = SpecBuilder.command(c, "kill", "Kill one or more running containers");
            s.option(String.class, v -> c.signal = v, "Signal to send to the container", "-s", "--signal");
            return c.finish(s);
        }

        @Override
        void apply(ContainerRecord record) throws Exception {
            containers().kill(record, Signals.parse(signal));
        }
    }

    static final class Pause extends EachContainer {
        static CommandSpec spec() {
            Pause c = new Pause();
            return c.finish(SpecBuilder.command(c, "pause", "Pause all processes within one or more containers"));
        }

        @Override
        void apply(ContainerRecord record) throws Exception {
            containers().pause(record, true);
        }
    }

    static final class Unpause extends EachContainer {
        static CommandSpec spec() {
            Unpause c = new Unpause();
            return c.finish(SpecBuilder.command(c, "unpause", "Unpause all processes within one or more containers"));
        }

        @Override
        void apply(ContainerRecord record) throws Exception {
            containers().pause(record, false);
        }
    }

    static final class Wait extends ContainerCommand {
        List<String> names;

        static CommandSpec spec() {
            Wait c = new Wait();
            SpecBuilder s = SpecBuilder.command(c, "wait", "Block until one or more containers stop, then print their exit codes");
            s.oneOrMore("0", "CONTAINER", v -> c.names = v, "");
            c.spec = s.spec();
            return c.spec;
        }

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

    static final class Rename extends ContainerCommand {
        String container;
        String newName;

        static CommandSpec spec() {
            Rename c = new Rename();
            SpecBuilder s = SpecBuilder.command(c, "rename", "Rename a container");
            s.positional("0", "CONTAINER", v -> c.container = v, "");
            s.positional("1", "NEW_NAME", v -> c.newName = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int execute() throws Exception {
            containers().store().rename(containers().store().resolve(container).id(), newName);
            return 0;
        }
    }

    /** Hidden: what a detached container's monitor runs after it exits, to apply the restart policy. */
    static final class ApplyRestartPolicy extends ContainerCommand {
        String id;

        static CommandSpec spec() {
            ApplyRestartPolicy c = new ApplyRestartPolicy();
            SpecBuilder s = SpecBuilder.command(c, "__restart", "Apply a container's restart policy.").hidden();
            s.positional("0", "ID", v -> c.id = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int execute() throws Exception {
            containers().applyRestartPolicy(id);
            return 0;
        }
    }
}
