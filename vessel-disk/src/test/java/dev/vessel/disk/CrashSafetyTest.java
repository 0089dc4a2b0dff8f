package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL at random points; qemu-img check must then find the image
 * clean or with leaked clusters only, never corrupt.
 */
class CrashSafetyTest {
    @TempDir
    Path dir;

    @Test
    void killedWriterLeavesNoCorruption() throws Exception {
        Qemu.require();
        Random r = new Random(42);
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int round = 0; round < 6; round++) {
            Path img = dir.resolve("crash" + round + ".qcow2");
            if (round % 2 == 0) {
                Disks.create(img, CreateOptions.qcow2(64 << 20).withClusterSize(round == 2 ? 512 : 65536));
            } else {
                Path base = dir.resolve("base" + round + ".qcow2");
                Disks.create(base, CreateOptions.qcow2(64 << 20).withClusterSize(4096));
                TestImages.write(base, 0, TestImages.pattern(1 << 20, round));
                Disks.createDifferencing(img, base.getFileName().toString(), ImageFormat.QCOW2);
            }
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CrashWriter.class.getName(), img.toString(), Long.toString(round))
                    .redirectErrorStream(true).start();
            int killAfter = 5 + r.nextInt(120);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                int seen = 0;
                while ((line = in.readLine()) != null && seen < killAfter) {
                    if (!line.matches("\\d+")) {
                        throw new AssertionError("writer failed: " + line);
                    }
                    seen++;
                }
                p.destroyForcibly();  // SIGKILL on Linux
                p.waitFor();
            }
            Qemu.Result check = Qemu.run("qemu-img", "check", img.toString());
            assertThat(check.status()).as("round %d:\n%s", round, check.out()).isIn(0, 3);
            assertThat(check.out()).doesNotContain("ERROR");
            // Vessel repairs the leaks, and the image is clean again.
            Disks.check(img, Disks.Repair.LEAKS);
            Qemu.checkClean(img);
        }
    }
}
