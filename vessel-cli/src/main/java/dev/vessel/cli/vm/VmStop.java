package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

final class VmStop extends VmVerb {
    int seconds;

    boolean force;

    String name;

    /** A fresh model of `vm stop`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmStop c = new VmStop();
        SpecBuilder s = SpecBuilder.command(c, "stop", "Power a VM down (ACPI), killing it after the timeout.");
        s.option(int.class, "10", v -> c.seconds = v, "", "-t", "--time").label("SECONDS");
        s.flag(v -> c.force = v, "Kill QEMU at once.", "-f", "--force");
        s.positional("0", "NAME", v -> c.name = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        manager().stop(name, seconds, force);
        out().println(name);
        return 0;
    }
}
