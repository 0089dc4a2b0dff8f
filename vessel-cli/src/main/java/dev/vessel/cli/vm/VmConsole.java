package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

final class VmConsole extends VmVerb {
    String name;

    /** A fresh model of `vm console`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmConsole c = new VmConsole();
        SpecBuilder s = SpecBuilder.command(c, "console", "Attach to a VM's serial console (detach with Ctrl-]).");
        s.positional("0", "NAME", v -> c.name = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        return Console.attach(manager(), name, out(), err());
    }
}
