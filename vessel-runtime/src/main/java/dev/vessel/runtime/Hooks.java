package dev.vessel.runtime;

import dev.vessel.runtime.spec.Spec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a list of OCI hooks in order, each with the container's state on stdin; the first failure stops. */
final class Hooks {
    private Hooks() {
    }

    static void run(String phase, List<Spec.Hook> hooks, byte[] stateJson) throws IOException {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Spec.Hook hook = hooks.get(i);
            String name = phase + "[" + i + "] " + hook.path();
            if (hook.path() == null || !hook.path().startsWith("/")) {
                throw new IllegalArgumentException("hooks." + phase + "[" + i + "].path must be absolute");
            }
            List<String> command = new java.util.ArrayList<>();
            command.add(hook.path());
            if (hook.args() != null && hook.args().size() > 1) {
                command.addAll(hook.args().subList(1, hook.args().size()));
            }
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            if (hook.env() != null) {
                for (String e : hook.env()) {
                    int eq = e.indexOf('=');
                    if (eq > 0) {
                        pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
                    }
                }
            }
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            pb.redirectError(ProcessBuilder.Redirect.PIPE);
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IOException("hook " + name + " could not start: " + e.getMessage(), e);
            }
            try (OutputStream in = process.getOutputStream()) {
                in.write(stateJson);
            } catch (IOException e) {
                // the hook need not read its stdin
            }
            try {
                int timeout = hook.timeout() == null || hook.timeout() <= 0 ? 0 : hook.timeout();
                if (timeout > 0 && !process.waitFor(timeout, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("hook " + name + " timed out after " + timeout + "s");
                }
                int status = process.waitFor();
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (status != 0) {
                    throw new IOException("hook " + name + " failed with exit status " + status
                            + (err.isEmpty() ? "" : ": " + err.replace('\n', ' ')));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for hook " + name, e);
            }
        }
    }
}
