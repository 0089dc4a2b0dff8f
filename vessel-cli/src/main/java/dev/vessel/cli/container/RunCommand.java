package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.engine.container.ContainerRecord;
import picocli.CommandLine.Model.CommandSpec;

/** `vessel run`, its model declared in code (see {@link SpecBuilder}). */
final class RunCommand extends ContainerCommand {
    final CreateOptions options = new CreateOptions();
    boolean detach;
    boolean sigProxy = true;

    private RunCommand() {
    }

    /** A fresh `run` command's model. */
    static CommandSpec spec() {
        RunCommand command = new RunCommand();
        SpecBuilder spec = SpecBuilder.command(command, "run", "Create and run a new container from an image");
        command.options.addTo(spec);
        spec.flag(v -> command.detach = v, "Run container in background and print container ID", "-d", "--detach");
        spec.negatableFlag(v -> command.sigProxy = v, "Proxy received signals to the process (default true)",
                "--sig-proxy");
        spec.help();
        command.spec = spec.spec();
        return spec.spec();
    }

    @Override
    protected int execute() throws Exception {
        dev.vessel.runtime.Trace.mark("run command");
        ensureImage(options.image, options.pull);
        dev.vessel.runtime.Trace.mark("image found");
        ContainerRecord record = containers().create(options.toRequest());
        if (detach) {
            containers().startDetached(record);
            out().println(record.id());
            return 0;
        }
        try {
            return containers().runAttached(record, sigProxy);
        } finally {
            if (options.remove) {
                dev.vessel.runtime.Trace.mark("run done");
                containers().remove(record.id(), true, true);
                dev.vessel.runtime.Trace.mark("removed");
            }
        }
    }
}
