package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

final class VmStart extends VmVerb {
    boolean attach;

    String name;

    /** A fresh model of `vm start`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmStart c = new VmStart();
        SpecBuilder s = SpecBuilder.command(c, "start", "Start a VM (QEMU keeps running after this command ends).");
        s.flag(v -> c.attach = v, "Attach to the serial console (detach with Ctrl-]).", "-a", "--attach");
        s.positional("0", "NAME", v -> c.name = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        for (String note : manager().start(name).limitNotes()) {
            err().println("vessel: warning: " + name + ": " + note);
        }
        if (attach) {
            return Console.attach(manager(), name, out(), err());
        }
        out().println(name);
        return 0;
    }
}
