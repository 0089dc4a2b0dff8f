package dev.vessel.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** mount(2) and umount2(2) for the host side through FFM (see {@link MountTable} for what is mounted). */
public final class Mounts {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1 << 18;
    /** umount2: detach now, clean up when no longer busy. */
    public static final int MNT_DETACH = 2;

    private static final MethodHandle MOUNT = Libc.function("mount", FunctionDescriptor.of(Libc.C_INT,
            Libc.C_POINTER, Libc.C_POINTER, Libc.C_POINTER, Libc.C_LONG, Libc.C_POINTER));
    private static final MethodHandle UMOUNT2 = Libc.function("umount2",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_INT));

    private Mounts() {
    }

    public static void mount(String source, Path target, String type, long flags, String data) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            MemorySegment typeArg = type == null ? MemorySegment.NULL : arena.allocateFrom(type);
            MemorySegment dataArg = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            int result = (int) MOUNT.invokeExact(errno, arena.allocateFrom(source), arena.allocateFrom(target.toString()),
                    typeArg, flags, dataArg);
            Libc.check(result, errno, "mount", target.toString());
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void unmount(Path target, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            int result = (int) UMOUNT2.invokeExact(errno, arena.allocateFrom(target.toString()), flags);
            Libc.check(result, errno, "umount", target.toString());
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
