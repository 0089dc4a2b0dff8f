package dev.vessel.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh --root per test, the vessel command in-process, and peer tools as processes. */
abstract class ImageTestBase {
    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void freshRoot() {
        assumeTrue(Files.isExecutable(TestImages.BUSYBOX), "needs /bin/busybox (apt-get install busybox-static)");
        root = tmp.resolve("root");
    }

    CliRun vessel(String... args) {
        return vesselAt(root, args);
    }

    static CliRun vesselAt(Path root, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--root";
        full[1] = root.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliRun.of(full);
    }

    CliRun ok(String... args) {
        CliRun run = vessel(args);
        assertThat(run.status()).as("vessel %s: %s", String.join(" ", args), run.err()).isZero();
        return run;
    }

    /** Imports the test busybox root file system as NAME; returns the image ID. */
    String importBusybox(String name, String... changes) throws IOException {
        Path rootfs = tmp.resolve("rootfs-" + System.nanoTime() + ".tar");
        Files.write(rootfs, TestImages.busyboxRootfs());
        List<String> args = new ArrayList<>(List.of("import"));
        for (String change : changes) {
            args.add("-c");
            args.add(change);
        }
        args.add(rootfs.toString());
        args.add(name);
        return ok(args.toArray(String[]::new)).out().strip();
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a peer tool; returns its stdout, failing the test on a non-zero exit. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
