package dev.vessel.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Terminals for interactive containers: the console socket on which a runtime hands over a
 * pty master (SCM_RIGHTS, as runc's --console-socket), raw mode, and window sizes.
 */
public final class Terminals {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final long TIOCGWINSZ = 0x5413;
    private static final long TIOCSWINSZ = 0x5414;
    private static final int TCSANOW = 0;
    /** struct termios on Linux: 60 bytes. */
    private static final int TERMIOS_SIZE = 60;

    private static final MethodHandle SOCKET = Libc.function("socket",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_INT, Libc.C_INT));
    private static final MethodHandle BIND = Libc.function("bind",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_POINTER, Libc.C_INT));
    private static final MethodHandle LISTEN = Libc.function("listen",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_INT));
    private static final MethodHandle ACCEPT = Libc.function("accept4",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_POINTER, Libc.C_POINTER, Libc.C_INT));
    private static final MethodHandle RECVMSG = Libc.function("recvmsg",
            FunctionDescriptor.of(Libc.C_LONG, Libc.C_INT, Libc.C_POINTER, Libc.C_INT));
    private static final MethodHandle IOCTL = Libc.function("ioctl",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_LONG, Libc.C_POINTER));
    private static final MethodHandle TCGETATTR = Libc.function("tcgetattr",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_POINTER));
    private static final MethodHandle TCSETATTR = Libc.function("tcsetattr",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_INT, Libc.C_POINTER));
    private static final MethodHandle CFMAKERAW = Libc.plainFunction("cfmakeraw",
            FunctionDescriptor.ofVoid(Libc.C_POINTER));
    private static final MethodHandle ISATTY = Libc.plainFunction("isatty",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT));

    private Terminals() {
    }

    public static boolean isTerminal(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            return false;
        }
    }

    /** A listening unix socket at {@code path}; returns its fd. */
    public static int listen(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int fd = (int) Libc.check((int) SOCKET.invokeExact(err, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), err,
                    "socket", path);
            byte[] name = path.getBytes(StandardCharsets.UTF_8);
            if (name.length > 107) {
                Processes.close(fd);
                throw new ErrnoException("bind", path + " (path too long for a unix socket)", Errno.EINVAL);
            }
            MemorySegment address = arena.allocate(110);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, 2, name.length);
            try {
                Libc.check((int) BIND.invokeExact(err, fd, address, 110), err, "bind", path);
                Libc.check((int) LISTEN.invokeExact(err, fd, 1), err, "listen", path);
            } catch (ErrnoException e) {
                Processes.close(fd);
                throw e;
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Accepts one connection on a listening socket and receives the fd it sends (SCM_RIGHTS). */
    public static int receiveFd(int listening) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int connection = (int) Libc.check((int) ACCEPT.invokeExact(err, listening, MemorySegment.NULL,
                    MemorySegment.NULL, SOCK_CLOEXEC), err, "accept", "console socket");
            try {
                MemorySegment data = arena.allocate(4096);
                MemorySegment iov = arena.allocate(16);
                iov.set(ValueLayout.ADDRESS, 0, data);
                iov.set(ValueLayout.JAVA_LONG, 8, 4096);
                MemorySegment control = arena.allocate(64, 8);
                MemorySegment message = arena.allocate(56, 8);
                message.set(ValueLayout.ADDRESS, 16, iov);
                message.set(ValueLayout.JAVA_LONG, 24, 1);
                message.set(ValueLayout.ADDRESS, 32, control);
                message.set(ValueLayout.JAVA_LONG, 40, 64);
                long received = (long) RECVMSG.invokeExact(err, connection, message, 0x40000000 /* MSG_CMSG_CLOEXEC */);
                Libc.check(received, err, "recvmsg", "console socket");
                long controlLength = message.get(ValueLayout.JAVA_LONG, 40);
                // struct cmsghdr: len (8), level (4), type (4), then the fd.
                if (controlLength < 20 || control.get(ValueLayout.JAVA_INT, 8) != SOL_SOCKET
                        || control.get(ValueLayout.JAVA_INT, 12) != SCM_RIGHTS) {
                    throw new ErrnoException("recvmsg", "console socket: no terminal was sent", Errno.EINVAL);
                }
                return control.get(ValueLayout.JAVA_INT, 16);
            } finally {
                Processes.close(connection);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A terminal's size as {rows, columns}, or null when fd is not a terminal. */
    public static int[] windowSize(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            MemorySegment size = arena.allocate(8);
            if ((int) IOCTL.invokeExact(err, fd, TIOCGWINSZ, size) < 0) {
                return null;
            }
            return new int[] {Short.toUnsignedInt(size.get(ValueLayout.JAVA_SHORT, 0)),
                Short.toUnsignedInt(size.get(ValueLayout.JAVA_SHORT, 2))};
        } catch (Throwable t) {
            return null;
        }
    }

    public static void setWindowSize(int fd, int rows, int columns) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            MemorySegment size = arena.allocate(8);
            size.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
            size.set(ValueLayout.JAVA_SHORT, 2, (short) columns);
            int ignored = (int) IOCTL.invokeExact(err, fd, TIOCSWINSZ, size);
        } catch (Throwable t) {
            // not a terminal any more: nothing to resize
        }
    }

    /** Puts a terminal in raw mode; returns its previous settings for {@link #restore}, or null. */
    public static byte[] makeRaw(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            MemorySegment termios = arena.allocate(TERMIOS_SIZE);
            if ((int) TCGETATTR.invokeExact(err, fd, termios) < 0) {
                return null;
            }
            byte[] saved = termios.toArray(ValueLayout.JAVA_BYTE);
            CFMAKERAW.invokeExact(termios);
            int ignored = (int) TCSETATTR.invokeExact(err, fd, TCSANOW, termios);
            return saved;
        } catch (Throwable t) {
            return null;
        }
    }

    public static void restore(int fd, byte[] saved) {
        if (saved == null) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            MemorySegment termios = arena.allocateFrom(ValueLayout.JAVA_BYTE, saved);
            int ignored = (int) TCSETATTR.invokeExact(err, fd, TCSANOW, termios);
        } catch (Throwable t) {
            // the terminal is gone
        }
    }
}
