package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random sequences of writes, discards, snapshot create/apply/delete, linked clones and commits,
 * applied both to Vessel images and to a plain byte array; both must agree byte for byte, and
 * qemu-img must find the images clean and read the same bytes.
 */
class ModelTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"1, 4096, false", "2, 65536, false", "3, 512, true", "4, 65536, true"})
    void randomOperationsAgreeWithTheModel(long seed, int clusterSize, boolean v2) throws Exception {
        Random r = new Random(seed);
        int size = 3 << 20;
        byte[] model = new byte[size];
        Path top = dir.resolve("img0.qcow2");
        Disks.create(top, CreateOptions.qcow2(size).withClusterSize(clusterSize).withCompatV2(v2));
        Map<String, byte[]> snapshots = new HashMap<>();
        List<Path> layers = new ArrayList<>(List.of(top));
        int snapCounter = 0;
        StringBuilder log = new StringBuilder();
        BlockDevice d = Disks.open(top, true);
        try {
            for (int step = 0; step < 120; step++) {
                int op = r.nextInt(100);
                if (op < 55) {
                    int len = 1 + r.nextInt(r.nextBoolean() ? 5000 : 300_000);
                    int off = r.nextInt(size - len);
                    byte[] data = TestImages.pattern(len, r.nextInt());
                    d.write(off, data, 0, len);
                    System.arraycopy(data, 0, model, off, len);
                    log.append(" w").append(off).append('+').append(len);
                } else if (op < 68) {
                    int len = 1 + r.nextInt(400_000);
                    int off = r.nextInt(size - len);
                    d.discard(off, len);
                    log.append(" d").append(off).append('+').append(len);
                    java.util.Arrays.fill(model, off, off + len, (byte) 0);
                } else if (op < 78) {
                    d.close();
                    String name = "s" + (snapCounter++);
                    Disks.snapshotCreate(top, name);
                    snapshots.put(name, model.clone());
                    log.append(" snap:").append(name);
                    d = Disks.open(top, true);
                } else if (op < 84 && !snapshots.isEmpty()) {
                    d.close();
                    String name = pick(snapshots, r);
                    Disks.snapshotApply(top, name);
                    model = snapshots.get(name).clone();
                    log.append(" apply:").append(name);
                    d = Disks.open(top, true);
                } else if (op < 90 && !snapshots.isEmpty()) {
                    d.close();
                    String name = pick(snapshots, r);
                    Disks.snapshotDelete(top, name);
                    snapshots.remove(name);
                    log.append(" del:").append(name);
                    d = Disks.open(top, true);
                } else if (op < 95 && layers.size() < 5) {
                    d.close();
                    Path next = dir.resolve("img" + layers.size() + ".qcow2");
                    Disks.clone(top, next, false);
                    layers.add(next);
                    top = next;
                    snapshots.clear();
                    log.append(" clone");
                    d = Disks.open(top, true);
                } else if (layers.size() > 1) {
                    d.close();
                    Disks.commit(top);
                    log.append(" commit");
                    // The top's internal snapshots see the base through their unallocated ranges, and
                    // commit changed the base: their old views are gone (as with QEMU), so forget them.
                    snapshots.clear();
                    d = Disks.open(top, true);
                }
                if (step % 20 == 19 || System.getProperty("model.everyStep") != null) {
                    same(readAll(d), model, "step " + step + " " + log);
                }
            }
            same(readAll(d), model, "end " + log);
        } finally {
            d.close();
        }
        if (Qemu.available("qemu-img")) {
            for (Path layer : layers) {
                Qemu.checkClean(layer);
            }
            same(Qemu.contents(top, dir), model, "qemu view");
            for (Map.Entry<String, byte[]> s : snapshots.entrySet()) {
                Path copy = dir.resolve("snapcheck.qcow2");
                java.nio.file.Files.copy(top, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Qemu.img("snapshot", "-a", s.getKey(), copy.toString());
                same(Qemu.contents(copy, dir), s.getValue(), "qemu view of snapshot " + s.getKey());
            }
        }
    }

    static void same(byte[] actual, byte[] expected, String what) {
        int m = java.util.Arrays.mismatch(actual, expected);
        if (m >= 0) {
            throw new AssertionError(what + ": first difference at offset " + m + " (got "
                    + (m < actual.length ? actual[m] : "EOF") + ", want " + (m < expected.length ? expected[m] : "EOF") + ")");
        }
    }

    private static String pick(Map<String, byte[]> m, Random r) {
        List<String> keys = new ArrayList<>(m.keySet());
        java.util.Collections.sort(keys);
        return keys.get(r.nextInt(keys.size()));
    }

    private static byte[] readAll(BlockDevice d) throws Exception {
        byte[] b = new byte[(int) d.size()];
        d.read(0, b, 0, b.length);
        return b;
    }
}
