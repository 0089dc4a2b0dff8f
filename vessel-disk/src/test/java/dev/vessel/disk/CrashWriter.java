package dev.vessel.disk;

import java.nio.file.Path;
import java.util.Random;

/** Run as a separate JVM by CrashSafetyTest: writes and discards forever, printing a line per operation. */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        Random r = new Random(Long.parseLong(args[1]));
        try (BlockDevice d = Disks.open(image, true)) {
            long size = d.size();
            for (long i = 0; ; i++) {
                int len = 1 + r.nextInt(200_000);
                long off = (long) (r.nextDouble() * (size - len));
                if (r.nextInt(10) == 0) {
                    d.discard(off, len);
                } else {
                    byte[] data = new byte[len];
                    r.nextBytes(data);
                    d.write(off, data, 0, len);
                }
                System.out.println(i);
                System.out.flush();
            }
        }
    }
}
