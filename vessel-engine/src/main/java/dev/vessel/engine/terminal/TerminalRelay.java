package dev.vessel.engine.terminal;

import dev.vessel.os.ErrnoException;
import dev.vessel.os.Processes;
import dev.vessel.os.Terminals;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Joins our terminal (fds 0 and 1) to a container's pty master received on a console socket:
 * raw mode while it runs, bytes copied both ways, SIGWINCH resizes passed on.
 */
public final class TerminalRelay {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;

    private final int listening;
    private final boolean input;
    private final CountDownLatch outputDone = new CountDownLatch(1);
    private volatile int master = -1;
    private byte[] savedTerminal;
    private SignalHandler previousWinch;

    public TerminalRelay(int listening) {
        this(listening, true);
    }

    /** With {@code input} false our stdin is left alone (exec -t without -i): output and resizes only. */
    public TerminalRelay(int listening, boolean input) {
        this.listening = listening;
        this.input = input;
    }

    /** Waits for the runtime's pty master in the background and relays once it arrives. */
    public void start() {
        if (input && Terminals.isTerminal(STDIN)) {
            savedTerminal = Terminals.makeRaw(STDIN);
        }
        try {
            previousWinch = Signal.handle(new Signal("WINCH"), signal -> copyWindowSize());
        } catch (IllegalArgumentException unsupported) {
            previousWinch = null;
        }
        Thread.ofPlatform().daemon().name("terminal-output").start(this::relayOutput);
    }

    private void relayOutput() {
        try {
            master = Terminals.receiveFd(listening);
            copyWindowSize();
            if (input) {
                Thread.ofPlatform().daemon().name("terminal-input").start(this::relayInput);
            }
            while (true) {
                byte[] bytes = Processes.read(master, 8192);
                if (bytes.length == 0) {
                    break;
                }
                Processes.writeFully(STDOUT, bytes);
            }
        } catch (ErrnoException endOfTerminal) {
            // EIO: the container's side of the pty closed
        } finally {
            outputDone.countDown();
        }
    }

    private void relayInput() {
        try {
            while (true) {
                byte[] bytes = Processes.read(STDIN, 4096);
                if (bytes.length == 0 || master < 0) {
                    return;
                }
                Processes.writeFully(master, bytes);
            }
        } catch (ErrnoException closed) {
            // the container is gone
        }
    }

    private void copyWindowSize() {
        int[] size = Terminals.windowSize(STDIN);
        if (size == null) {
            size = Terminals.windowSize(STDOUT);
        }
        if (size != null && master >= 0) {
            Terminals.setWindowSize(master, size[0], size[1]);
        }
    }

    /** After the container exited: the last output is written, and our terminal is as it was. */
    public void finish() {
        try {
            outputDone.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Terminals.restore(STDIN, savedTerminal);
        if (previousWinch != null) {
            Signal.handle(new Signal("WINCH"), previousWinch);
        }
        if (master >= 0) {
            Processes.close(master);
        }
    }
}
