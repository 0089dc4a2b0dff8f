package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

final class VmResume extends VmVerb {
    String name;

    /** A fresh model of `vm resume`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmResume c = new VmResume();
        SpecBuilder s = SpecBuilder.command(c, "resume", "Resume a paused VM.");
        s.positional("0", "NAME", v -> c.name = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        manager().resume(name);
        out().println(name);
        return 0;
    }
}
