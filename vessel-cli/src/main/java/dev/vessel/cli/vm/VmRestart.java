package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

final class VmRestart extends VmVerb {
    int seconds;

    String name;

    /** A fresh model of `vm restart`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmRestart c = new VmRestart();
        SpecBuilder s = SpecBuilder.command(c, "restart", "Stop (if running) and start a VM.");
        s.option(int.class, "10", v -> c.seconds = v, "", "-t", "--time").label("SECONDS");
        s.positional("0", "NAME", v -> c.name = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        manager().restart(name, seconds);
        out().println(name);
        return 0;
    }
}
