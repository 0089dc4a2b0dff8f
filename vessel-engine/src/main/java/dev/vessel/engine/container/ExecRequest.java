package dev.vessel.engine.container;

import java.util.List;

/**
 * What `exec` runs in a running container: the command, extra environment, user and working
 * directory (null or empty: the container's), and how it is attached: {@code interactive} keeps
 * our stdin connected, {@code tty} gives it a new pty joined to our terminal, {@code detach} runs
 * it in the background with its output discarded.
 */
public record ExecRequest(List<String> command, List<String> env, String user, String workdir,
        boolean interactive, boolean tty, boolean detach) {
    public ExecRequest {
        command = List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
    }
}
