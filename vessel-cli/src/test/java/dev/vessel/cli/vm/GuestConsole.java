package dev.vessel.cli.vm;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Types into a VM's serial console socket and waits for text in its console log. */
final class GuestConsole implements AutoCloseable {
    private final SocketChannel channel;
    private final Path log;

    GuestConsole(Path vmDir) throws IOException {
        this.log = vmDir.resolve("console.log");
        this.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(vmDir.resolve("console.sock")));
        // Drain what the guest prints to the socket so it never blocks on us; the log keeps it all.
        Thread.ofPlatform().daemon().start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            try {
                while (channel.read(buffer.clear()) >= 0) {
                    // discard
                }
            } catch (IOException ignored) {
                // closed
            }
        });
    }

    void type(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** Waits until the log contains text; fails with the log's tail after the timeout. */
    void await(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                String all = log();
                throw new AssertionError("no '" + text + "' on the console within " + timeout.toSeconds()
                        + " s; console ends with:\n" + all.substring(Math.max(0, all.length() - 1500)));
            }
            Thread.sleep(100);
        }
    }

    /** Runs a command and waits for the line it prints ("echo" of a computed token, so not the typed echo). */
    void run(String command, String expected) throws IOException, InterruptedException {
        type(command);
        await(expected, Duration.ofSeconds(60));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
