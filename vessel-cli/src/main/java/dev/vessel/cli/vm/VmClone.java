package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

final class VmClone extends VmVerb {
    String source;

    String target;

    /** A fresh model of `vm clone`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmClone c = new VmClone();
        SpecBuilder s = SpecBuilder.command(c, "clone", "Make a linked clone of a stopped VM.");
        s.positional("0", "SOURCE", v -> c.source = v, "");
        s.positional("1", "NEW", v -> c.target = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        manager().templates().clone(source, target);
        out().println(target);
        return 0;
    }
}
