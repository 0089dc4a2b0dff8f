package dev.vessel.vm.qemu;

import java.nio.file.Path;

/** The files of one VM run, in the VM's directory. */
public record RunFiles(Path dir) {
    public Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    public Path consoleSocket() {
        return dir.resolve("console.sock");
    }

    public Path consoleLog() {
        return dir.resolve("console.log");
    }

    public Path pidFile() {
        return dir.resolve("qemu.pid");
    }

    public Path stderr() {
        return dir.resolve("qemu.stderr");
    }

    public Path exitCode() {
        return dir.resolve("qemu.exit");
    }

    public Path script() {
        return dir.resolve("qemu.sh");
    }
}
