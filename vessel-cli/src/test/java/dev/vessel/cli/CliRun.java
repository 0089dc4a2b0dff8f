package dev.vessel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the vessel command in-process and keeps what it printed and its status. */
public record CliRun(int status, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Vessel.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }

    /** Runs vessel with {@code --root root} before the arguments. */
    public static CliRun in(Path root, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = root.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return of(all);
    }

    /** Removes every container under root, with its anonymous volumes (a test's clean-up). */
    public static void removeAllContainers(Path root) {
        for (String id : in(root, "ps", "-aq", "--no-trunc").out().lines().toList()) {
            in(root, "rm", "-f", "-v", id);
        }
    }
}
