package dev.vessel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the vessel command in-process and keeps what it printed and its status. */
public record CliRun(int status, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Vessel.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }
}
