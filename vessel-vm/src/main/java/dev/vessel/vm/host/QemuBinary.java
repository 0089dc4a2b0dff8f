package dev.vessel.vm.host;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where qemu-system-x86_64 is (VESSEL_QEMU overrides; else the PATH). */
public final class QemuBinary {
    private QemuBinary() {
    }

    public static String path() {
        String forced = System.getenv("VESSEL_QEMU");
        if (forced != null && !forced.isEmpty()) {
            return forced;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "qemu-system-x86_64");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "qemu-system-x86_64";
    }

    public static boolean available() {
        return Files.isExecutable(Path.of(path()));
    }
}
