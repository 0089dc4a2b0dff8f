package dev.vessel.disk;

import java.io.IOException;
import java.nio.file.Path;

/** Reading whole images through the Vessel library. */
final class TestImages {
    private TestImages() {
    }

    static byte[] read(Path image) throws IOException {
        try (BlockDevice d = Disks.open(image, false)) {
            byte[] b = new byte[(int) d.size()];
            d.read(0, b, 0, b.length);
            return b;
        }
    }

    static void write(Path image, long offset, byte[] data) throws IOException {
        try (BlockDevice d = Disks.open(image, true)) {
            d.write(offset, data, 0, data.length);
        }
    }

    static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
