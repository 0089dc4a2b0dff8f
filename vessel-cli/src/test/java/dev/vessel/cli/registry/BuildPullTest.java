package dev.vessel.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.cli.CliRun;
import dev.vessel.cli.VesselProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vessel build` pulls a base image the store lacks, by its --pull policy. */
class BuildPullTest {
    @TempDir
    Path tmp;

    @Test
    void fromPullsAMissingBaseImageAndNeverRefuses() throws Exception {
        assumeTrue(dev.vessel.engine.TestImages.available(), "needs busybox-static (apt-get install busybox-static)");
        Path source = tmp.resolve("source");
        dev.vessel.engine.TestImages.busybox(source);
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), null)) {
            String remote = registry.host() + "/base/busybox:1";
            CliRun pushed = CliRun.of("--root", source.toString(), "push", "-q", "--tls-verify=false", "busybox", remote);
            assertThat(pushed.status()).as(pushed.err()).isZero();

            Path context = Files.createDirectories(tmp.resolve("context"));
            Files.writeString(context.resolve("Containerfile"), "FROM " + remote + "\nRUN echo built > /built\n");
            Path root = tmp.resolve("root");
            CliRun never = CliRun.of("--root", root.toString(), "build", "--pull=never", "-t", "app:1", context.toString());
            assertThat(never.status()).isNotZero();
            assertThat(never.err()).contains("line 1").contains("--pull=never");

            CliRun built = CliRun.of("--root", root.toString(), "build", "--tls-verify=false", "-t", "app:1",
                    context.toString());
            assertThat(built.status()).as(built.err()).isZero();
            VesselProcess run = VesselProcess.run(root, "run", "--rm", "app:1", "cat", "/built");
            assertThat(run.out()).isEqualTo("built\n");
            assertThat(CliRun.of("--root", root.toString(), "image", "inspect", remote).status()).isZero();
        }
    }
}
