package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt and truncated images: every operation either works or fails with a DiskException (an
 * IOException with a message), never another exception, a hang or a huge allocation; and the file
 * never grows without bound.
 */
class FuzzTest {
    @TempDir
    Path dir;

    private Path seedImage() throws IOException {
        Path p = dir.resolve("seed.qcow2");
        Disks.create(p, CreateOptions.qcow2(8 << 20).withClusterSize(4096));
        TestImages.write(p, 0, TestImages.pattern(300_000, 1));
        TestImages.write(p, 5 << 20, TestImages.pattern(100_000, 2));
        Disks.snapshotCreate(p, "s");
        TestImages.write(p, 4096, TestImages.pattern(10_000, 3));
        return p;
    }

    @Test
    void corruptQcow2ImagesFailCleanly() throws Exception {
        Path seed = seedImage();
        long seedSize = Files.size(seed);
        Random r = new Random(7);
        Path victim = dir.resolve("victim.qcow2");
        for (int round = 0; round < 100; round++) {
            Files.copy(seed, victim, StandardCopyOption.REPLACE_EXISTING);
            String what = mutate(victim, r, seedSize);
            exercise(victim, what);
            assertThat(Files.size(victim)).as(what).isLessThan(seedSize + (64L << 20));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("seed.qcow2", "victim.qcow2");
        }
    }

    @Test
    void corruptVhdImagesFailCleanly() throws Exception {
        Path seed = dir.resolve("seed.vhd");
        Disks.create(seed, CreateOptions.of(ImageFormat.VHD, 8 << 20));
        TestImages.write(seed, 100, TestImages.pattern(3 << 20, 4));
        long seedSize = Files.size(seed);
        Random r = new Random(8);
        Path victim = dir.resolve("victim.vhd");
        for (int round = 0; round < 50; round++) {
            Files.copy(seed, victim, StandardCopyOption.REPLACE_EXISTING);
            String what = mutate(victim, r, seedSize);
            exercise(victim, what);
        }
    }

    private static String mutate(Path p, Random r, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            int kind = r.nextInt(5);
            if (kind == 0) {
                long len = r.nextLong(size);
                f.setLength(len);
                return "truncated to " + len;
            }
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                long off = kind == 1 ? r.nextInt(128) : kind == 2 ? r.nextLong(Math.min(size, 5 * 4096)) : r.nextLong(size);
                byte[] b = new byte[1 + r.nextInt(8)];
                r.nextBytes(b);
                if (r.nextBoolean()) {
                    b[0] = (byte) 0xff;
                }
                f.seek(Math.max(0, off - (size == f.length() ? 0 : 0)));
                if (off + b.length <= f.length()) {
                    f.write(b);
                    sb.append(" ").append(b.length).append("@").append(off);
                }
            }
            return "bytes changed:" + sb;
        }
    }

    private static void exercise(Path p, String what) {
        attempt(what, () -> Disks.info(p));
        attempt(what, () -> Disks.snapshotList(p));
        attempt(what, () -> Disks.check(p, Disks.Repair.NONE));
        attempt(what, () -> {
            try (BlockDevice d = Disks.open(p, false)) {
                byte[] b = new byte[(int) Math.min(d.size(), 16 << 20)];
                d.read(0, b, 0, b.length);
                Disks.map(p);
            }
            return null;
        });
        attempt(what, () -> {
            try (BlockDevice d = Disks.open(p, true)) {
                long size = d.size();
                byte[] b = new byte[70_000];
                for (long off : new long[] {0, size / 2, Math.max(0, size - b.length)}) {
                    d.write(off, b, 0, (int) Math.min(b.length, size - off));
                }
                d.discard(0, Math.min(size, 100_000));
            }
            return null;
        });
        attempt(what, () -> {
            Disks.check(p, Disks.Repair.ALL);
            return null;
        });
        attempt(what, () -> {
            Disks.snapshotCreate(p, "x");
            Disks.snapshotApply(p, "s");
            Disks.snapshotDelete(p, "x");
            return null;
        });
    }

    interface Action {
        Object run() throws Exception;
    }

    private static void attempt(String what, Action a) {
        try {
            a.run();
        } catch (IOException e) {
            assertThat(e.getMessage()).as(what).isNotBlank();
        } catch (Throwable t) {
            throw new AssertionError("corrupt image (" + what + ") gave " + t, t);
        }
    }
}
