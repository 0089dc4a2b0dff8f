package dev.vessel.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The shared plumbing for calling libc through FFM: symbol lookup, downcall handles that
 * capture errno, and C-string helpers. Domain classes (file operations, mounts, processes)
 * build their own handles with {@link #function} and check results with {@link #check}.
 */
public final class Libc {
    public static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfLong C_SIZE_T = ValueLayout.JAVA_LONG;
    public static final java.lang.foreign.AddressLayout C_POINTER = ValueLayout.ADDRESS;

    /** Linked on first use: every link costs start-up time. */
    private static final class Strerror {
        static final MethodHandle HANDLE = LINKER.downcallHandle(find("strerror"), FunctionDescriptor.of(C_POINTER, C_INT));
    }

    private Libc() {
    }

    public static MemorySegment find(String symbol) {
        return LOOKUP.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + symbol));
    }

    /**
     * A downcall handle whose first parameter is the errno capture segment (see {@link #errnoSegment}).
     */
    public static MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(symbol), descriptor, CAPTURE_ERRNO);
    }

    /** As {@link #function(String, FunctionDescriptor)}, with more linker options (variadic calls). */
    public static MethodHandle function(String symbol, FunctionDescriptor descriptor, Linker.Option option) {
        return LINKER.downcallHandle(find(symbol), descriptor, CAPTURE_ERRNO, option);
    }

    /** A downcall handle that does not capture errno, for calls that cannot fail. */
    public static MethodHandle plainFunction(String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(symbol), descriptor);
    }

    /** Room for the captured errno of one call; allocate per call (or per thread) from an arena. */
    public static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    public static int errno(MemorySegment capture) {
        return (int) ERRNO_HANDLE.get(capture, 0L);
    }

    /** Throws {@link ErrnoException} when a libc call returned -1. */
    public static long check(long result, MemorySegment capture, String call, String subject)
            throws ErrnoException {
        if (result == -1) {
            throw new ErrnoException(call, subject, errno(capture));
        }
        return result;
    }

    public static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return message.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** Rethrows what a method handle threw, keeping checked I/O failures as they are. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
