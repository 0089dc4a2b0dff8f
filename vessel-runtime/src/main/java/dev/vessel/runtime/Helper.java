package dev.vessel.runtime;

import dev.vessel.os.ErrnoException;
import dev.vessel.os.Processes;
import dev.vessel.runtime.plan.Plan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the native helper: started from a sealed memfd copy of the binary shipped in this
 * jar (so /proc/PID/exe never reaches a writable host file, the CVE-2019-5736 class), given the
 * plan on fd 3, reporting on fd 4. The container's stdio is the given fds (or ours).
 */
final class Helper implements AutoCloseable {
    private static byte[] binary;

    private final int pid;
    private final int planFd;
    private final int reportFd;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean reaped;

    private Helper(int pid, int planFd, int reportFd) {
        this.pid = pid;
        this.planFd = planFd;
        this.reportFd = reportFd;
    }

    private static synchronized byte[] binary() throws IOException {
        if (binary == null) {
            try (InputStream in = Helper.class.getResourceAsStream("vessel-helper")) {
                if (in == null) {
                    throw new IOException("the native helper is missing from the vessel-runtime jar: rebuild with bin/build");
                }
                binary = in.readAllBytes();
            }
        }
        return binary;
    }

    /** Starts the helper in a mode ("create" or "run") with stdio placed from the given fds (-1: inherit). */
    static Helper start(String mode, Plan plan, int[] stdio) throws IOException {
        return start(mode, List.of(), plan, stdio);
    }

    /** As {@link #start(String, Plan, int[])}, with the mode's own arguments (monitor: LOG EXIT [RESTART...]). */
    static Helper start(String mode, List<String> modeArgs, Plan plan, int[] stdio) throws IOException {
        int memfd = Processes.sealedMemfd("vessel-helper", binary());
        int[] planPipe = null;
        int[] reportPipe = null;
        try {
            planPipe = Processes.pipe();
            reportPipe = Processes.pipe();
            // Out of the way of 0-4, so the dup2s below cannot clobber each other.
            int planRead = Processes.fcntl(planPipe[0], Processes.F_DUPFD_CLOEXEC, 10);
            int reportWrite = Processes.fcntl(reportPipe[1], Processes.F_DUPFD_CLOEXEC, 10);
            Processes.close(planPipe[0]);
            Processes.close(reportPipe[1]);
            planPipe[0] = planRead;
            reportPipe[1] = reportWrite;
            List<Integer> placed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (stdio != null && stdio[i] >= 0) {
                    placed.add(stdio[i]);
                    placed.add(i);
                }
            }
            placed.addAll(List.of(planRead, 3, reportWrite, 4));
            List<String> argv = new ArrayList<>(List.of("vessel-helper", mode));
            argv.addAll(modeArgs);
            int pid = Processes.spawn("/proc/self/fd/" + memfd, argv,
                    placed.stream().mapToInt(Integer::intValue).toArray());
            Helper helper = new Helper(pid, planPipe[1], reportPipe[0]);
            Processes.close(planRead);
            Processes.close(reportWrite);
            helper.send(plan.encode());
            return helper;
        } catch (IOException | RuntimeException e) {
            if (planPipe != null) {
                Processes.close(planPipe[0]);
                Processes.close(planPipe[1]);
            }
            if (reportPipe != null) {
                Processes.close(reportPipe[0]);
                Processes.close(reportPipe[1]);
            }
            throw e;
        } finally {
            Processes.close(memfd);
        }
    }

    int pid() {
        return pid;
    }

    private void send(byte[] bytes) throws IOException {
        try {
            Processes.writeFully(planFd, bytes);
        } catch (ErrnoException e) {
            throw new IOException("the native helper stopped before reading its plan", e);
        }
    }

    /** Lets the container process go on once its cgroups and id maps are in place. */
    void go() throws IOException {
        send(new byte[] {'g'});
    }

    /** The next report line, or null at end of file. */
    String readLine() throws IOException {
        while (true) {
            byte[] buffered = pending.toByteArray();
            for (int i = 0; i < buffered.length; i++) {
                if (buffered[i] == '\n') {
                    pending.reset();
                    pending.write(buffered, i + 1, buffered.length - i - 1);
                    return new String(buffered, 0, i, StandardCharsets.UTF_8);
                }
            }
            byte[] more = Processes.read(reportFd, 4096);
            if (more.length == 0) {
                return null;
            }
            pending.writeBytes(more);
        }
    }

    /** Waits for the helper to exit; its status (in run mode, the container's). */
    int waitFor() throws IOException {
        reaped = true;
        return Processes.waitpid(pid, false);
    }

    @Override
    public void close() {
        Processes.close(planFd);
        Processes.close(reportFd);
        if (!reaped) {
            try {
                Processes.kill(pid, 9);
                Processes.waitpid(pid, false);
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
