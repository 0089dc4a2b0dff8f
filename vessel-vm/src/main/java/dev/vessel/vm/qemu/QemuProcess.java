package dev.vessel.vm.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * Starts QEMU so that it outlives the CLI and its exit status is kept: a small sh script,
 * started in a new session (setsid), joins the VM's cgroups, runs QEMU in the foreground and
 * writes QEMU's exit status to a file when it ends (128+N when a signal N killed it). The JVM
 * only spawns that script; QEMU is found again later through its pid file.
 */
public final class QemuProcess {
    private QemuProcess() {
    }

    public static void spawn(RunFiles files, List<String> command, List<Path> cgroups) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/sh\n# Written by Vessel: runs one VM's QEMU and records how it ended.\n");
        for (Path cgroup : cgroups) {
            script.append("echo $$ > ").append(quote(cgroup.resolve("cgroup.procs").toString())).append(" 2>/dev/null\n");
        }
        script.append("rm -f ").append(quote(files.exitCode().toString())).append('\n');
        for (String arg : command) {
            script.append(quote(arg)).append(" \\\n  ");
        }
        script.append("</dev/null >/dev/null 2>").append(quote(files.stderr().toString())).append('\n');
        script.append("status=$?\n");
        script.append("echo $status > ").append(quote(files.exitCode() + ".tmp")).append(" && mv ")
                .append(quote(files.exitCode() + ".tmp")).append(' ').append(quote(files.exitCode().toString())).append('\n');
        Files.writeString(files.script(), script.toString(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(files.script(), PosixFilePermissions.fromString("rwxr-xr-x"));
        new ProcessBuilder("setsid", "/bin/sh", files.script().toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** QEMU's pid from its pid file, if that process still runs this VM's QEMU. */
    public static Optional<Long> livePid(RunFiles files) {
        try {
            long pid = Long.parseLong(Files.readString(files.pidFile()).strip());
            return isOurs(pid, files) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True while pid is alive and is the QEMU serving this VM's monitor socket (not a reused pid). */
    public static boolean isOurs(long pid, RunFiles files) {
        if (pid <= 0) {
            return false;
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            String text = new String(cmdline, StandardCharsets.UTF_8);
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
            return !zombie && text.contains(files.qmpSocket().toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** QEMU's recorded exit status, if it has ended and the script recorded it. */
    public static Optional<Integer> exitStatus(RunFiles files) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(files.exitCode()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sends SIGKILL to pid (only ever QEMU's own pid, checked by the caller). */
    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Waits until the VM's QEMU has gone, up to millis; true when it has. */
    public static boolean awaitExit(long pid, RunFiles files, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (isOurs(pid, files)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            sleep(50);
        }
        // give the script a moment to record the status
        long statusDeadline = System.currentTimeMillis() + 2000;
        while (exitStatus(files).isEmpty() && System.currentTimeMillis() < statusDeadline) {
            sleep(20);
        }
        return true;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
