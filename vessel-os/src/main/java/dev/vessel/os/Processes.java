package dev.vessel.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.vessel.os.Libc.C_INT;
import static dev.vessel.os.Libc.C_LONG;
import static dev.vessel.os.Libc.C_POINTER;

/**
 * Process and file-descriptor calls the runtime needs without forking the JVM: pipes, memfds,
 * posix_spawn (glibc's vfork-style spawn, safe from a multi-threaded JVM) with fds placed at
 * chosen numbers, waitpid and kill.
 */
public final class Processes {
    public static final int O_CLOEXEC = 0x80000;
    public static final int MFD_CLOEXEC = 1;
    public static final int MFD_ALLOW_SEALING = 2;
    public static final int F_ADD_SEALS = 1033;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_SEAL_SEAL = 1;
    public static final int F_SEAL_SHRINK = 2;
    public static final int F_SEAL_GROW = 4;
    public static final int F_SEAL_WRITE = 8;
    public static final int WNOHANG = 1;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_NONBLOCK = 0x800;

    private static final MethodHandle PIPE2 = Libc.function("pipe2", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle CLOSE = Libc.function("close", FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle READ = Libc.function("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle WRITE = Libc.function("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle FCNTL = Libc.function("fcntl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    private static final MethodHandle MEMFD_CREATE =
            Libc.function("memfd_create", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle OPEN = Libc.function("open", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle MKFIFO = Libc.function("mkfifo", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle KILL = Libc.function("kill", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle WAITPID =
            Libc.function("waitpid", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle SPAWN = Libc.plainFunction("posix_spawn",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER));
    private static final MethodHandle FA_INIT = Libc.plainFunction("posix_spawn_file_actions_init",
            FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle FA_DUP2 = Libc.plainFunction("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle FA_DESTROY = Libc.plainFunction("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(C_INT, C_POINTER));

    private Processes() {
    }

    /** A pipe with both ends close-on-exec: {read, write}. */
    public static int[] pipe() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(C_INT, 2);
            MemorySegment err = Libc.errnoSegment(arena);
            Libc.check((int) PIPE2.invokeExact(err, fds, O_CLOEXEC), err, "pipe2", null);
            return new int[] {fds.getAtIndex(C_INT, 0), fds.getAtIndex(C_INT, 1)};
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(Libc.errnoSegment(arena), fd);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** fcntl with an int argument. */
    public static int fcntl(int fd, int command, int argument) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            return (int) Libc.check((int) FCNTL.invokeExact(err, fd, command, argument), err, "fcntl", null);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Writes all of the bytes (retrying on EINTR). */
    public static void writeFully(int fd, byte[] bytes) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buffer, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment err = Libc.errnoSegment(arena);
            long done = 0;
            while (done < bytes.length) {
                long n = (long) WRITE.invokeExact(err, fd, buffer.asSlice(done), bytes.length - done);
                if (n < 0 && Libc.errno(err) == Errno.EINTR) {
                    continue;
                }
                Libc.check(n, err, "write", null);
                done += n;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Reads up to max bytes; an empty array at end of file. */
    public static byte[] read(int fd, int max) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(max);
            MemorySegment err = Libc.errnoSegment(arena);
            while (true) {
                long n = (long) READ.invokeExact(err, fd, buffer, (long) max);
                if (n < 0 && Libc.errno(err) == Errno.EINTR) {
                    continue;
                }
                Libc.check(n, err, "read", null);
                return buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** An anonymous memory file holding these bytes, sealed against any further change. */
    public static int sealedMemfd(String name, byte[] content) throws ErrnoException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            fd = (int) Libc.check((int) MEMFD_CREATE.invokeExact(err, arena.allocateFrom(name),
                    MFD_CLOEXEC | MFD_ALLOW_SEALING), err, "memfd_create", name);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        try {
            writeFully(fd, content);
            fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
            return fd;
        } catch (ErrnoException e) {
            close(fd);
            throw e;
        }
    }

    /**
     * Starts a program with posix_spawn. {@code placed} lists pairs (fd, target number): each fd
     * is duplicated onto its target in the child (without close-on-exec); stdio is inherited.
     */
    public static int spawn(String path, List<String> args, int... placed) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(256, 16);
            int rc = (int) FA_INIT.invokeExact(actions);
            try {
                for (int i = 0; i < placed.length; i += 2) {
                    rc = (int) FA_DUP2.invokeExact(actions, placed[i], placed[i + 1]);
                    if (rc != 0) {
                        throw new ErrnoException("posix_spawn_file_actions_adddup2", null, rc);
                    }
                }
                MemorySegment argv = arena.allocate(C_POINTER, args.size() + 1);
                for (int i = 0; i < args.size(); i++) {
                    argv.setAtIndex(C_POINTER, i, arena.allocateFrom(args.get(i), StandardCharsets.UTF_8));
                }
                argv.setAtIndex(C_POINTER, args.size(), MemorySegment.NULL);
                MemorySegment envp = arena.allocate(C_POINTER, 1);
                envp.setAtIndex(C_POINTER, 0, MemorySegment.NULL);
                MemorySegment pid = arena.allocate(C_INT);
                rc = (int) SPAWN.invokeExact(pid, arena.allocateFrom(path), actions, MemorySegment.NULL, argv, envp);
                if (rc != 0) {
                    throw new ErrnoException("posix_spawn", path, rc);
                }
                return pid.get(C_INT, 0);
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(actions);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Waits for a child; returns its exit status, or 128+signal when a signal ended it, or -1 when
     * {@code noHang} and it is still running. Throws ECHILD when it is not our child.
     */
    public static int waitpid(int pid, boolean noHang) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(C_INT);
            MemorySegment err = Libc.errnoSegment(arena);
            while (true) {
                int r = (int) WAITPID.invokeExact(err, pid, status, noHang ? WNOHANG : 0);
                if (r < 0 && Libc.errno(err) == Errno.EINTR) {
                    continue;
                }
                Libc.check(r, err, "waitpid", Integer.toString(pid));
                if (r == 0) {
                    return -1;
                }
                int s = status.get(C_INT, 0);
                int signal = s & 0x7f;
                return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** open(2); returns the fd. */
    public static int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            return (int) Libc.check((int) OPEN.invokeExact(err, arena.allocateFrom(path), flags, mode), err, "open", path);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void mkfifo(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            Libc.check((int) MKFIFO.invokeExact(err, arena.allocateFrom(path), mode), err, "mkfifo", path);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Sends a signal; false when there is no such process (ESRCH). */
    public static boolean kill(int pid, int signal) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int r = (int) KILL.invokeExact(err, pid, signal);
            if (r < 0 && Libc.errno(err) == Errno.ESRCH) {
                return false;
            }
            Libc.check(r, err, "kill", Integer.toString(pid));
            return true;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
