package dev.vessel.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * File operations Java's NIO lacks, through libc: device nodes, owners and times of symbolic
 * links themselves, full mode bits (setuid, setgid, sticky) and extended attributes. Every
 * call acts on the path itself, never on a symbolic link's target.
 */
public final class FileCalls {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;

    private static final MethodHandle MKNOD = Libc.function("mknod",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_INT, Libc.C_LONG));
    private static final MethodHandle LCHOWN = Libc.function("lchown",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_INT, Libc.C_INT));
    private static final MethodHandle CHMOD = Libc.function("chmod",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_INT));
    private static final MethodHandle UTIMENSAT = Libc.function("utimensat",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_POINTER, Libc.C_POINTER, Libc.C_INT));
    private static final MethodHandle LSETXATTR = Libc.function("lsetxattr",
            FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_POINTER, Libc.C_POINTER, Libc.C_SIZE_T, Libc.C_INT));
    private static final MethodHandle LGETXATTR = Libc.function("lgetxattr",
            FunctionDescriptor.of(Libc.C_LONG, Libc.C_POINTER, Libc.C_POINTER, Libc.C_POINTER, Libc.C_SIZE_T));
    private static final MethodHandle LLISTXATTR = Libc.function("llistxattr",
            FunctionDescriptor.of(Libc.C_LONG, Libc.C_POINTER, Libc.C_POINTER, Libc.C_SIZE_T));

    private FileCalls() {
    }

    /** Linux's makedev: the dev_t of a major and minor number. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    public static long major(long dev) {
        return ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
    }

    public static long minor(long dev) {
        return ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
    }

    /** mknod(2): {@code mode} includes the type (S_IFCHR, S_IFBLK, S_IFIFO) and permissions. */
    public static void mknod(String path, int mode, long dev) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            int r = (int) MKNOD.invokeExact(errno, arena.allocateFrom(path), mode, dev);
            Libc.check(r, errno, "mknod", path);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** lchown(2): the owner of the path itself (a symbolic link is not followed). */
    public static void lchown(String path, int uid, int gid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            int r = (int) LCHOWN.invokeExact(errno, arena.allocateFrom(path), uid, gid);
            Libc.check(r, errno, "lchown", path);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** chmod(2) with all twelve mode bits; do not call on a symbolic link (it would follow it). */
    public static void chmod(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            int r = (int) CHMOD.invokeExact(errno, arena.allocateFrom(path), mode);
            Libc.check(r, errno, "chmod", path);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** utimensat(2) without following a symbolic link: access and modification times in ns since the epoch. */
    public static void lutimes(String path, long atimeNanos, long mtimeNanos) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, Math.floorDiv(atimeNanos, 1_000_000_000L));
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, Math.floorMod(atimeNanos, 1_000_000_000L));
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, Math.floorDiv(mtimeNanos, 1_000_000_000L));
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, Math.floorMod(mtimeNanos, 1_000_000_000L));
            int r = (int) UTIMENSAT.invokeExact(errno, AT_FDCWD, arena.allocateFrom(path), times, AT_SYMLINK_NOFOLLOW);
            Libc.check(r, errno, "utimensat", path);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** lsetxattr(2). */
    public static void lsetxattr(String path, String name, byte[] value) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            int r = (int) LSETXATTR.invokeExact(errno, arena.allocateFrom(path), arena.allocateFrom(name), v,
                    (long) value.length, 0);
            Libc.check(r, errno, "lsetxattr " + name, path);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** lgetxattr(2); null when the attribute is absent. */
    public static byte[] lgetxattr(String path, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            MemorySegment p = arena.allocateFrom(path);
            MemorySegment n = arena.allocateFrom(name);
            int size = 256;
            while (true) {
                MemorySegment buffer = arena.allocate(size);
                long r = (long) LGETXATTR.invokeExact(errno, p, n, buffer, (long) size);
                if (r >= 0) {
                    return buffer.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE);
                }
                int e = Libc.errno(errno);
                if (e == Errno.ENODATA) {
                    return null;
                }
                if (e != 34 /* ERANGE */ || size > (1 << 20)) {
                    throw new ErrnoException("lgetxattr " + name, path, e);
                }
                size *= 4;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** llistxattr(2): the names of the path's extended attributes. */
    public static List<String> llistxattr(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(arena);
            MemorySegment p = arena.allocateFrom(path);
            int size = 1024;
            while (true) {
                MemorySegment buffer = arena.allocate(size);
                long r = (long) LLISTXATTR.invokeExact(errno, p, buffer, (long) size);
                if (r >= 0) {
                    List<String> names = new ArrayList<>();
                    byte[] bytes = buffer.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE);
                    int start = 0;
                    for (int i = 0; i < bytes.length; i++) {
                        if (bytes[i] == 0) {
                            if (i > start) {
                                names.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                            }
                            start = i + 1;
                        }
                    }
                    return names;
                }
                int e = Libc.errno(errno);
                if (e != 34 /* ERANGE */ || size > (1 << 22)) {
                    throw new ErrnoException("llistxattr", path, e);
                }
                size *= 4;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
