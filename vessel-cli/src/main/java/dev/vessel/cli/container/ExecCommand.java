package dev.vessel.cli.container;

import dev.vessel.engine.container.ExecRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", description = "Execute a command in a running container")
final class ExecCommand extends ContainerCommand {
    @Option(names = {"-e", "--env"}, description = "Set environment variables")
    List<String> env = new ArrayList<>();
    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user;
    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
    String workdir;
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;
    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background")
    boolean detach;
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    protected int execute() throws Exception {
        return containers().exec(containers().find(container),
                new ExecRequest(command, env, user, workdir, interactive, tty, detach));
    }
}
