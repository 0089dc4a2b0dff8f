package dev.vessel.runtime.cgroup;

import dev.vessel.os.ErrnoException;
import dev.vessel.os.Libc;
import dev.vessel.os.Processes;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Loads a {@link DeviceProgram} with bpf(2) BPF_PROG_LOAD and attaches it to a cgroup v2
 * directory with BPF_PROG_ATTACH (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI, as runc and systemd
 * do). The attachment holds the program: it lives as long as the cgroup. Device programs that
 * were attached to that cgroup before (an earlier create or update) are detached once the new
 * one is in place, so there is no moment without a filter and the new rules replace the old.
 */
public final class BpfDeviceFilter {
    private static final long SYS_BPF = 321; // x86_64
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_DETACH = 9;
    private static final int BPF_PROG_GET_FD_BY_ID = 13;
    private static final int BPF_PROG_QUERY = 16;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int BPF_CGROUP_DEVICE = 6;
    private static final int BPF_F_ALLOW_MULTI = 2;
    private static final int ATTR_SIZE = 128; // enough of union bpf_attr for both commands (rest zero)

    /** long syscall(long nr, ...) called as syscall(SYS_bpf, int cmd, void *attr, unsigned size). */
    private static final MethodHandle SYSCALL = Libc.LINKER.downcallHandle(Libc.find("syscall"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private BpfDeviceFilter() {
    }

    /** Loads the program and attaches it to the cgroup directory, in place of device programs attached there before. */
    public static void attach(byte[] program, Path cgroupDir) throws ErrnoException {
        int prog = load(program);
        try {
            int cgroup = Processes.open(cgroupDir.toString(), Processes.O_RDONLY | Processes.O_CLOEXEC, 0);
            try (Arena arena = Arena.ofConfined()) {
                int[] before = attached(arena, cgroup, cgroupDir);
                attachOrDetach(arena, BPF_PROG_ATTACH, cgroup, prog, cgroupDir);
                for (int id : before) {
                    int old;
                    try {
                        MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
                        attr.set(ValueLayout.JAVA_INT, 0, id); // prog_id
                        old = (int) bpf(arena, BPF_PROG_GET_FD_BY_ID, attr, "BPF_PROG_GET_FD_BY_ID", "program " + id);
                    } catch (ErrnoException e) {
                        continue; // detached meanwhile
                    }
                    try {
                        attachOrDetach(arena, BPF_PROG_DETACH, cgroup, old, cgroupDir);
                    } finally {
                        Processes.close(old);
                    }
                }
            } finally {
                Processes.close(cgroup);
            }
        } finally {
            Processes.close(prog);
        }
    }

    /** The ids of the device programs attached to this cgroup itself (not inherited ones). */
    static int[] attached(Path cgroupDir) throws ErrnoException {
        int cgroup = Processes.open(cgroupDir.toString(), Processes.O_RDONLY | Processes.O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            return attached(arena, cgroup, cgroupDir);
        } finally {
            Processes.close(cgroup);
        }
    }

    private static int[] attached(Arena arena, int cgroup, Path cgroupDir) throws ErrnoException {
        int capacity = 64;
        MemorySegment ids = arena.allocate(4L * capacity, 4);
        MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
        attr.set(ValueLayout.JAVA_INT, 0, cgroup);              // target_fd
        attr.set(ValueLayout.JAVA_INT, 4, BPF_CGROUP_DEVICE);   // attach_type
        attr.set(ValueLayout.JAVA_LONG, 16, ids.address());     // prog_ids
        attr.set(ValueLayout.JAVA_INT, 24, capacity);           // prog_cnt (in: room, out: count)
        bpf(arena, BPF_PROG_QUERY, attr, "BPF_PROG_QUERY", cgroupDir.toString());
        int count = Math.min(attr.get(ValueLayout.JAVA_INT, 24), capacity);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = ids.getAtIndex(ValueLayout.JAVA_INT, i);
        }
        return out;
    }

    private static void attachOrDetach(Arena arena, int cmd, int cgroup, int prog, Path cgroupDir) throws ErrnoException {
        MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
        attr.set(ValueLayout.JAVA_INT, 0, cgroup);                 // target_fd
        attr.set(ValueLayout.JAVA_INT, 4, prog);                   // attach_bpf_fd
        attr.set(ValueLayout.JAVA_INT, 8, BPF_CGROUP_DEVICE);      // attach_type
        if (cmd == BPF_PROG_ATTACH) {
            attr.set(ValueLayout.JAVA_INT, 12, BPF_F_ALLOW_MULTI); // attach_flags
        }
        bpf(arena, cmd, attr, cmd == BPF_PROG_ATTACH ? "BPF_PROG_ATTACH" : "BPF_PROG_DETACH", cgroupDir.toString());
    }

    private static int load(byte[] program) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocate(program.length, 8);
            insns.copyFrom(MemorySegment.ofArray(program));
            MemorySegment license = arena.allocateFrom("Apache");
            int logSize = 64 * 1024;
            MemorySegment log = arena.allocate(logSize);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE);  // prog_type
            attr.set(ValueLayout.JAVA_INT, 4, program.length / 8);           // insn_cnt
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());             // insns
            attr.set(ValueLayout.JAVA_LONG, 16, license.address());          // license
            attr.set(ValueLayout.JAVA_INT, 24, 1);                           // log_level
            attr.set(ValueLayout.JAVA_INT, 28, logSize);                     // log_size
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());              // log_buf
            attr.set(ValueLayout.JAVA_INT, 68, BPF_CGROUP_DEVICE);           // expected_attach_type
            try {
                return (int) bpf(arena, BPF_PROG_LOAD, attr, "BPF_PROG_LOAD", "a device program");
            } catch (ErrnoException e) {
                String verifier = log.getString(0, StandardCharsets.UTF_8).strip();
                if (!verifier.isEmpty()) {
                    throw new IllegalStateException("the kernel refused the device program: " + e.getMessage() + ": "
                            + verifier.replace('\n', ' '), e);
                }
                throw e;
            }
        }
    }

    private static long bpf(Arena arena, int cmd, MemorySegment attr, String call, String subject) throws ErrnoException {
        MemorySegment err = Libc.errnoSegment(arena);
        try {
            return Libc.check((long) SYSCALL.invokeExact(err, SYS_BPF, cmd, attr, ATTR_SIZE), err, call, subject);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
