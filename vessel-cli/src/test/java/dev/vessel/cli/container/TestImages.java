package dev.vessel.cli.container;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/** The busybox image the container tests run (the engine's test fixture), or a skip without busybox-static. */
final class TestImages {
    private TestImages() {
    }

    static void busybox(Path root) throws Exception {
        assumeTrue(dev.vessel.engine.TestImages.available(), "busybox-static is not installed (bin/install-deps installs it)");
        dev.vessel.engine.TestImages.busybox(root);
    }
}
