package dev.vessel.cli.vm;

import dev.vessel.vm.VmManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/** Relays the terminal to a VM's serial console socket until Ctrl-] or the VM ends. */
final class Console {
    private static final int DETACH = 0x1d; // Ctrl-]

    private Console() {
    }

    static int attach(VmManager manager, String name, PrintWriter out, PrintWriter err) throws IOException {
        if (!manager.state(name).active()) {
            throw new dev.vessel.vm.VmException("VM " + name + " is not running");
        }
        var socket = manager.files(name).consoleSocket();
        boolean tty = System.console() != null;
        err.println("Connected to " + name + "'s console; detach with Ctrl-]");
        err.flush();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            if (tty) {
                stty("raw", "-echo");
            }
            OutputStream screen = System.out;
            Thread pump = Thread.ofPlatform().daemon().start(() -> {
                try (InputStream in = Channels.newInputStream(channel)) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        screen.write(buf, 0, n);
                        screen.flush();
                    }
                } catch (IOException ignored) {
                    // console closed
                }
            });
            byte[] buf = new byte[256];
            int n;
            outer:
            while (pump.isAlive() && (n = System.in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == DETACH) {
                        if (i > 0) {
                            channel.write(ByteBuffer.wrap(buf, 0, i));
                        }
                        break outer;
                    }
                }
                channel.write(ByteBuffer.wrap(buf, 0, n));
            }
        } finally {
            if (tty) {
                stty("sane");
            }
        }
        err.println();
        err.println("Detached from " + name);
        return 0;
    }

    private static void stty(String... modes) {
        try {
            String[] command = new String[modes.length + 1];
            command[0] = "stty";
            System.arraycopy(modes, 0, command, 1, modes.length);
            new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start().waitFor();
        } catch (IOException e) {
            // no terminal control: keep going in line mode
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
