package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class VmRemove extends VmVerb {
    boolean force;

    List<String> names;

    /** A fresh model of `vm rm`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmRemove c = new VmRemove();
        SpecBuilder s = SpecBuilder.command(c, "rm", "Remove VMs (their Vessel-made disks and files).");
        s.flag(v -> c.force = v, "Kill a running VM first.", "-f", "--force");
        s.oneOrMore("0", "NAME", v -> c.names = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        for (String name : names) {
            manager().remove(name, force);
            out().println(name);
        }
        return 0;
    }
}
