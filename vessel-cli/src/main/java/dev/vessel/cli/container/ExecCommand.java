package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.engine.container.ExecRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class ExecCommand extends ContainerCommand {
    List<String> env = new ArrayList<>();
    String user;
    String workdir;
    boolean interactive;
    boolean tty;
    boolean detach;
    String container;
    List<String> command = new ArrayList<>();

    /** A fresh model of `exec`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        ExecCommand c = new ExecCommand();
        SpecBuilder s = SpecBuilder.command(c, "exec", "Execute a command in a running container");
        s.repeatable(v -> c.env = v, "Set environment variables", "-e", "--env");
        s.option(String.class, v -> c.user = v, "Username or UID (format: <name|uid>[:<group|gid>])", "-u", "--user");
        s.option(String.class, v -> c.workdir = v, "Working directory inside the container", "-w", "--workdir");
        s.flag(v -> c.interactive = v, "Keep STDIN open even if not attached", "-i", "--interactive");
        s.flag(v -> c.tty = v, "Allocate a pseudo-TTY", "-t", "--tty");
        s.flag(v -> c.detach = v, "Detached mode: run command in the background", "-d", "--detach");
        s.positional("0", "CONTAINER", v -> c.container = v, "");
        s.oneOrMore("1", "COMMAND", v -> c.command = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int execute() throws Exception {
        return containers().exec(containers().find(container),
                new ExecRequest(command, env, user, workdir, interactive, tty, detach));
    }
}
