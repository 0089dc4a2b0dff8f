package dev.vessel.disk;

import java.nio.file.Path;

/** Run as a separate JVM by CrashSafetyTest: says "go", then commits the image into its base. */
public final class CrashCommitter {
    private CrashCommitter() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("go");
        System.out.flush();
        Disks.commit(Path.of(args[0]));
        System.out.println("done");
    }
}
