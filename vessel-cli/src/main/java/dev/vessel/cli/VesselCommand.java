package dev.vessel.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Base of every verb: reaches the global options and the command's streams, and returns the
 * exit status from {@link #call()}. Failures are thrown (a {@link VesselException} for a chosen
 * status) and reported by {@link Vessel} as one line.
 */
public abstract class VesselCommand implements Callable<Integer> {
    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    /** The state directory (--root, VESSEL_ROOT or the default). */
    protected Path root() {
        return ((Vessel) spec.root().userObject()).root();
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
