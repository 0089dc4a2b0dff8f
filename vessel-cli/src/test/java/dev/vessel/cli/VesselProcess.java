package dev.vessel.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs `vessel` as a real process (the test JVM's class path), for behaviour that an in-process
 * run cannot show: a container's own output, exit statuses, signals, processes that outlive it.
 */
public record VesselProcess(int status, String out, String err) {
    public static VesselProcess run(Path root, String... args) throws IOException, InterruptedException {
        return withInput(root, null, args);
    }

    public static VesselProcess withInput(Path root, String stdin, String... args) throws IOException, InterruptedException {
        Process process = start(root, args);
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("vessel " + String.join(" ", args) + " did not finish");
        }
        return new VesselProcess(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    public static Process start(Path root, String... args) throws IOException {
        return new ProcessBuilder(commandLine(root, args)).start();
    }

    /** The command line that runs vessel with these arguments against root. */
    public static List<String> commandLine(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Vessel.class.getName(), "--root", root.toString()));
        command.addAll(List.of(args));
        return command;
    }
}
