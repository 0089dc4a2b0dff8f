package dev.vessel.runtime;

import dev.vessel.runtime.plan.Plan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One run of the native helper, started with ProcessBuilder (no fork of the JVM, nothing but
 * JDK code on the start path) and driven over a unix socket: the plan and the go/start bytes
 * one way, the reports ("pid N", "ok", "err STATUS MESSAGE") the other. The binary ships in this
 * jar and is written once to /run/vessel/helper; the helper re-executes itself from a sealed
 * memfd before doing anything, so the file on disk is never what a container could reach.
 */
final class Helper implements AutoCloseable {
    static final Path INSTALL_DIR = Path.of("/run/vessel/helper");
    private static final BundledBinary BINARY = new BundledBinary("vessel-helper", INSTALL_DIR, "rwx------", "r-x------");

    private final Process process;
    private final SocketChannel channel;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final ByteBuffer in = ByteBuffer.allocate(4096);

    private Helper(Process process, SocketChannel channel) {
        this.process = process;
        this.channel = channel;
    }

    /**
     * A fresh path for the socket the helper connects to: short, since a unix socket path has at
     * most 107 bytes and state directories under a long --root would exceed it.
     */
    static Path newSocketPath() throws IOException {
        Files.createDirectories(INSTALL_DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return INSTALL_DIR.resolve(Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".sock");
    }

    /** The helper binary on disk, written (atomically, root-only) when this jar's copy is not there yet. */
    static Path binary() throws IOException {
        return BINARY.path();
    }

    /**
     * Starts the helper in a mode ("create" or "run"); the container's stdin, stdout and stderr
     * are the given redirects (null: this process's own). The socket lives at {@code socket}
     * only until the helper has connected.
     */
    static Helper start(String mode, Plan plan, ProcessBuilder.Redirect[] stdio, Path socket) throws IOException {
        return start(mode, List.of(), plan, stdio, socket);
    }

    /** As above, with the mode's own arguments after the socket (monitor: LOG EXIT [RESTART...]). */
    static Helper start(String mode, List<String> modeArgs, Plan plan, ProcessBuilder.Redirect[] stdio, Path socket)
            throws IOException {
        return connect(mode, modeArgs, stdio, socket).withPlan(plan);
    }

    /** Starts the helper and waits until it has connected; it then waits for its plan. */
    private static Helper connect(String mode, List<String> modeArgs, ProcessBuilder.Redirect[] stdio, Path socket)
            throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Process process = null;
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            List<String> command = new ArrayList<>(List.of(binary().toString(), mode, socket.toString()));
            command.addAll(modeArgs);
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.redirectInput(redirect(stdio, 0));
            pb.redirectOutput(redirect(stdio, 1));
            pb.redirectError(redirect(stdio, 2));
            process = pb.start();
            server.configureBlocking(false);
            SocketChannel channel;
            while ((channel = server.accept()) == null) {
                if (!process.isAlive()) {
                    throw new OciException(1, "the native helper exited with status " + process.exitValue()
                            + " before connecting");
                }
                sleepMillis(1);
            }
            channel.configureBlocking(true);
            return new Helper(process, channel);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
                waitQuietly(process);
            }
            throw e;
        } finally {
            server.close();
            Files.deleteIfExists(socket);
        }
    }

    /**
     * A helper started in the background (its socket, NIO's first use, and the process: ~50 ms)
     * while the runtime reads config.json and builds the plan; the helper only waits for it.
     */
    static final class Launch {
        private final FutureTask<Helper> task;

        private Launch(FutureTask<Helper> task) {
            this.task = task;
        }

        static Launch begin(String mode, List<String> modeArgs, ProcessBuilder.Redirect[] stdio) {
            FutureTask<Helper> task = new FutureTask<>(() -> connect(mode, modeArgs, stdio, newSocketPath()));
            Thread thread = new Thread(task, "vessel-helper-launch");
            thread.setDaemon(true);
            thread.start();
            return new Launch(task);
        }

        /** The started helper, given its plan. */
        Helper withPlan(Plan plan) throws IOException {
            return get().withPlan(plan);
        }

        /** The create failed before the plan: stop the helper (it exits on the closed socket) and reap it. */
        void abandon() {
            try {
                get().close();
            } catch (IOException | RuntimeException e) {
                // it never started: nothing to stop
            }
        }

        private Helper get() throws IOException {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the native helper", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException("starting the native helper: " + e.getCause(), e.getCause());
            }
        }
    }

    private static void waitQuietly(Process process) {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ProcessBuilder.Redirect redirect(ProcessBuilder.Redirect[] stdio, int fd) {
        return stdio == null || stdio[fd] == null ? ProcessBuilder.Redirect.INHERIT : stdio[fd];
    }

    int pid() {
        return (int) process.pid();
    }

    private void send(byte[] bytes) throws IOException {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new IOException("the native helper stopped listening: " + e.getMessage(), e);
        }
    }

    /** Lets the container process go on (once its cgroups and id maps are in place, and in run mode to start). */
    void go() throws IOException {
        send(new byte[] {'g'});
    }

    /** A length-prefixed blob (the hooks' state JSON), after the go byte. */
    void sendBlob(byte[] blob) throws IOException {
        byte[] out = new byte[blob.length + 4];
        out[0] = (byte) blob.length;
        out[1] = (byte) (blob.length >>> 8);
        out[2] = (byte) (blob.length >>> 16);
        out[3] = (byte) (blob.length >>> 24);
        System.arraycopy(blob, 0, out, 4, blob.length);
        send(out);
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
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                return null;
            }
            pending.write(in.array(), 0, n);
        }
    }

    /** Waits for the helper to exit; its status (in run mode, the container's). */
    int waitFor() throws IOException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the container", e);
        }
    }

    /** This helper, sent its plan; closed when the plan cannot be sent. */
    private Helper withPlan(Plan plan) throws IOException {
        try {
            send(plan.encode());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to tell
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
