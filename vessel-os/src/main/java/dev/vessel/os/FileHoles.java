package dev.vessel.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Where a file's data and holes lie: lseek(2) with SEEK_DATA and SEEK_HOLE, which Java's file API
 * lacks, on a read-only descriptor of its own (a FileChannel does not show its descriptor; holes
 * belong to the file, so any descriptor sees the same). Thread-safe.
 */
public final class FileHoles implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;

    /** Linked on first use: linking costs tens of milliseconds in a fresh JVM. */
    private static final class Calls {
        static final MethodHandle OPEN = Libc.function("open",
                FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_INT, Libc.C_INT), Linker.Option.firstVariadicArg(2));
        static final MethodHandle LSEEK = Libc.function("lseek",
                FunctionDescriptor.of(Libc.C_LONG, Libc.C_INT, Libc.C_LONG, Libc.C_INT));
        static final MethodHandle CLOSE = Libc.plainFunction("close", FunctionDescriptor.of(Libc.C_INT, Libc.C_INT));
    }

    private final Path file;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = Libc.errnoSegment(arena);
    private int fd;

    private FileHoles(Path file, int fd) {
        this.file = file;
        this.fd = fd;
    }

    public static FileHoles open(Path file) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(a);
            int fd = (int) Calls.OPEN.invokeExact(errno, a.allocateFrom(file.toString()), O_RDONLY | O_CLOEXEC, 0);
            Libc.check(fd, errno, "open", file.toString());
            return new FileHoles(file, fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The offset of the first data at or after offset, or -1 when only a hole (or the end) follows. */
    public synchronized long nextData(long offset) throws ErrnoException {
        return seek(offset, SEEK_DATA);
    }

    /** The offset of the first hole at or after offset; the end of the file counts as one. */
    public synchronized long nextHole(long offset) throws ErrnoException {
        return seek(offset, SEEK_HOLE);
    }

    private long seek(long offset, int whence) throws ErrnoException {
        if (fd < 0) {
            throw new IllegalStateException(file + ": hole map closed");
        }
        try {
            long r = (long) Calls.LSEEK.invokeExact(errno, fd, offset, whence);
            if (r == -1 && Libc.errno(errno) == ENXIO) {
                return -1;
            }
            return Libc.check(r, errno, "lseek", file.toString());
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            try {
                int ignored = (int) Calls.CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
            fd = -1;
            arena.close();
        }
    }
}
