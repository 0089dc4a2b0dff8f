package dev.vessel.engine.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.engine.container.ContainerConfig;
import dev.vessel.engine.container.ContainerIds;
import dev.vessel.engine.container.HostConfig;
import dev.vessel.engine.rootfs.EtcFiles;
import dev.vessel.engine.spec.OciConfigBuilder;
import dev.vessel.engine.spec.SeccompProfiles;
import dev.vessel.engine.spec.UserResolver;
import dev.vessel.os.AtomicFiles;
import dev.vessel.runtime.OciException;
import dev.vessel.runtime.OciRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * RUN: the command runs as a short-lived container of Vessel's own runtime on the step's
 * overlay, with the build's environment, user and working directory, Docker's default
 * capabilities and seccomp profile, and no network unless --network host. Its output goes to
 * a file that is copied to the build's output as it grows.
 */
final class RunStep {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunStep() {
    }

    /** Runs {@code argv} in the workspace; returns its exit status, its output copied to {@code out} (null: kept). */
    static int run(OciRuntime runtime, Workspace workspace, List<String> argv, Map<String, String> env, String user,
            String workingDir, String network, Writer out, Path log) throws IOException {
        String id = "build-" + ContainerIds.newId().substring(0, 16);
        UserResolver.ResolvedUser resolved;
        try {
            resolved = UserResolver.forRoot(workspace.rootfs()).resolve(user);
        } catch (IllegalArgumentException e) {
            throw new BuildException(e.getMessage());
        }
        boolean hostNetwork = "host".equals(network);
        OciConfigBuilder.EtcFiles etc = EtcFiles.write(workspace.dir(), id.substring(6, 18), hostNetwork);
        List<String> envList = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        ContainerConfig config = new ContainerConfig(id.substring(6, 18), null, user, false, false, false, envList,
                argv, null, workingDir, null, Map.of(), null, null);
        HostConfig host = new HostConfig(List.of(), hostNetwork ? "host" : "none", null, false, List.of(), List.of(),
                false, false, false, List.of(), Map.of(), 0, 0, 0, 0, 0, 0, null, null, List.of(), List.of());
        ObjectNode spec = OciConfigBuilder.build(config, host, resolved, List.of(), etc,
                SeccompProfiles.dockerDefault(OciConfigBuilder.capabilities(host)), "vessel/" + id, null);
        // a build killed while this runs leaves the id for the next build to delete the container by
        Files.writeString(workspace.dir().resolve(BuildDirectories.CONTAINER_FILE), id);
        Path bundle = workspace.dir().resolve("bundle");
        AtomicFiles.write(bundle.resolve("config.json"), JSON.writeValueAsBytes(spec));
        Files.deleteIfExists(log);
        Files.createFile(log);
        ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(log.toFile());
        ProcessBuilder.Redirect[] stdio = {ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()), toLog, toLog};
        try (LogCopier copier = new LogCopier(log, out)) {
            return runtime.run(id, bundle, new OciRuntime.CreateOptions(null, null, stdio));
        } catch (OciException e) {
            throw new BuildException(e.getMessage(), e.status() == 126 || e.status() == 127 ? e.status() : 1);
        }
    }

    /** Copies what a step writes to its log to the build's output while it runs. */
    private static final class LogCopier implements AutoCloseable {
        private final Thread thread;
        private volatile boolean done;

        LogCopier(Path log, Writer out) {
            this.thread = Thread.ofPlatform().daemon().start(() -> copy(log, out));
        }

        private void copy(Path log, Writer out) {
            if (out == null) {
                return;
            }
            byte[] buffer = new byte[1 << 14];
            try (InputStream in = Files.newInputStream(log)) {
                while (true) {
                    boolean finished = done;
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        out.write(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                    out.flush();
                    if (finished) {
                        return;
                    }
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                // the step's result does not depend on echoing its output
            }
        }

        @Override
        public void close() {
            done = true;
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
