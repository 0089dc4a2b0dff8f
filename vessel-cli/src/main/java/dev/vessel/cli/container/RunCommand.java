package dev.vessel.cli.container;

import dev.vessel.engine.container.ContainerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Create and run a new container from an image")
final class RunCommand extends ContainerCommand {
    @Mixin
    CreateOptions options;

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = "--sig-proxy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Proxy received signals to the process (default true)")
    boolean sigProxy;

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
