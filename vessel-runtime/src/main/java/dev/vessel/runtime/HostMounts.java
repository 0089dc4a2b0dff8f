package dev.vessel.runtime;

import dev.vessel.os.ErrnoException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * mount(2) and umount2(2) on the host, made by the native helper (its mount and umount modes).
 * A command whose only system call beyond the JDK's is mounting a container's root file system
 * would otherwise start the FFM linker for it, which costs a short-lived JVM about 50 ms of
 * interpreted code; starting the small helper costs a few. Containers' overlays (also a build's
 * RUN containers) go through here; the build's read-only stage mounts keep {@link
 * dev.vessel.os.Mounts}, since a build starts the linker anyway.
 */
public final class HostMounts {
    private HostMounts() {
    }

    /** As mount(2); a failure is an {@link ErrnoException} with the call's errno. */
    public static void mount(String source, Path target, String type, long flags, String data) throws IOException {
        call("mount " + target, "mount", source, target.toString(), type == null ? "" : type, Long.toString(flags),
                data == null ? "" : data);
    }

    /** As umount2(2) with these flags (MNT_DETACH is 2). */
    public static void unmount(Path target, int flags) throws IOException {
        call("umount " + target, "umount", target.toString(), Integer.toString(flags));
    }

    private static void call(String what, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Helper.binary().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException(what + ": interrupted");
        }
        if (status != 0) {
            throw new ErrnoException(what + ": " + (error.isEmpty() ? "the helper exited with " + status : error),
                    status);
        }
    }
}
