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

    /**
     * Kills a commit at random points: both images must stay free of corruption (leaks at most), the
     * top must still read as before (it is emptied only once the base holds its data on disk), and a
     * second commit must finish the job.
     */
    @Test
    void killedCommitLeavesBothImagesConsistent() throws Exception {
        Qemu.require();
        Random r = new Random(43);
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int round = 0; round < 6; round++) {
            Path base = dir.resolve("cbase" + round + ".qcow2");
            Path top = dir.resolve("ctop" + round + ".qcow2");
            Qemu.img("create", "-q", "-f", "qcow2", base.toString(), "64M");
            Qemu.io(base, "write -P 0x11 0 8M", "write -P 0x12 40M 1M");
            Qemu.img("create", "-q", "-f", "qcow2", "-b", base.getFileName().toString(), "-F", "qcow2",
                    top.toString());
            Qemu.io(top, "write -P 0x22 4M 24M", "write -z 40M 64k", "write -c -P 0x23 48M 256k",
                    "write -P 0x24 60M 12345");
            byte[] before = Qemu.contents(top, dir);
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CrashCommitter.class.getName(), top.toString()).redirectErrorStream(true).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line = in.readLine();
                if (!"go".equals(line)) {
                    throw new AssertionError("committer failed: " + line);
                }
                Thread.sleep(r.nextInt(round == 0 ? 5 : 200));
                p.destroyForcibly();  // SIGKILL on Linux
                p.waitFor();
            }
            for (Path img : new Path[] {base, top}) {
                Qemu.Result check = Qemu.run("qemu-img", "check", img.toString());
                assertThat(check.status()).as("round %d, %s:\n%s", round, img, check.out()).isIn(0, 3);
                assertThat(check.out()).doesNotContain("ERROR");
            }
            assertThat(Qemu.contents(top, dir)).as("round %d: top after the kill", round).isEqualTo(before);
            Disks.check(base, Disks.Repair.LEAKS);
            Disks.check(top, Disks.Repair.LEAKS);
            Disks.commit(top);
            assertThat(Qemu.contents(base, dir)).as("round %d: base after a second commit", round).isEqualTo(before);
            Qemu.checkClean(base);
            Qemu.checkClean(top);
        }
    }
}
