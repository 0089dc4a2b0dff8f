package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

final class VmPause extends VmVerb {
    String name;

    /** A fresh model of `vm pause`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmPause c = new VmPause();
        SpecBuilder s = SpecBuilder.command(c, "pause", "Pause a running VM's CPUs.");
        s.positional("0", "NAME", v -> c.name = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        manager().pause(name);
        out().println(name);
        return 0;
    }
}
