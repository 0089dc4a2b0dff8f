package dev.vessel.runtime.seccomp;

import dev.vessel.runtime.spec.Spec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the spec's seccomp section to a classic BPF program for x86_64.
 *
 * <p>Layout: check the architecture (other architectures get the default action, unless they
 * are not listed at all, which kills), load the syscall number, then one small block per rule:
 * {@code if nr == N && args match: return action}, falling through to the next block, and
 * finally the default action. Blocks are short, so the 8-bit jump offsets always suffice.
 * Several conditions on different arguments are ANDed; several on the same argument make one
 * rule each (ORed), as runc does.
 */
public final class SeccompCompiler {
    // BPF opcodes (linux/filter.h)
    static final int LD_W_ABS = 0x20;
    static final int JMP_JEQ_K = 0x15;
    static final int JMP_JGT_K = 0x25;
    static final int JMP_JGE_K = 0x35;
    static final int JMP_JA = 0x05;
    static final int ALU_AND_K = 0x54;
    static final int RET_K = 0x06;

    static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    static final int AUDIT_ARCH_I386 = 0x40000003;
    static final int X32_SYSCALL_BIT = 0x40000000;

    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_KILL_THREAD = 0x00000000;
    static final int RET_TRAP = 0x00030000;
    static final int RET_ERRNO = 0x00050000;
    static final int RET_TRACE = 0x7ff00000;
    static final int RET_LOG = 0x7ffc0000;
    static final int RET_ALLOW = 0x7fff0000;
    static final int EPERM = 1;
    /** A jump field to resolve to the failure target of its block. */
    private static final long FAIL = -1;

    private final List<long[]> program = new ArrayList<>();

    private SeccompCompiler() {
    }

    /** The program as instructions {code, jt, jf, k}. */
    public static List<long[]> compile(Spec.Seccomp seccomp) {
        SeccompCompiler compiler = new SeccompCompiler();
        compiler.build(seccomp);
        return compiler.program;
    }

    /** Encodes the program for the helper: 16 hex digits per instruction (code, jt, jf, k). */
    public static String toHex(List<long[]> program) {
        StringBuilder hex = new StringBuilder(program.size() * 16);
        HexFormat format = HexFormat.of(); // String.format per instruction cost a run ~4 ms, interpreted
        for (long[] insn : program) {
            long word = (insn[0] & 0xffff) << 48 | (insn[1] & 0xff) << 40 | (insn[2] & 0xff) << 32 | (insn[3] & 0xffffffffL);
            hex.append(format.toHexDigits(word));
        }
        return hex.toString();
    }

    private void emit(int code, int jt, int jf, int k) {
        program.add(new long[] {code, jt, jf, k & 0xffffffffL});
    }

    private void build(Spec.Seccomp seccomp) {
        int defaultAction = action(seccomp.defaultAction(), seccomp.defaultErrnoRet(), "defaultAction");
        Set<String> arches = new HashSet<>();
        if (seccomp.architectures() != null) {
            for (String arch : seccomp.architectures()) {
                switch (arch) {
                    case "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM",
                         "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390X", "SCMP_ARCH_RISCV64", "SCMP_ARCH_MIPS64",
                         "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_PPC64", "SCMP_ARCH_S390" -> arches.add(arch);
                    default -> throw new IllegalArgumentException("seccomp: unknown architecture " + arch);
                }
            }
        }
        // Architecture: x86_64 runs the rules; i386 (no table here) gets the default action when
        // listed; anything else is killed, as libseccomp does for architectures not in the filter.
        emit(LD_W_ABS, 0, 0, 4);
        emit(JMP_JEQ_K, 3, 0, AUDIT_ARCH_X86_64);
        emit(JMP_JEQ_K, 0, 1, AUDIT_ARCH_I386);
        emit(RET_K, 0, 0, arches.isEmpty() || arches.contains("SCMP_ARCH_X86") ? defaultAction : RET_KILL_PROCESS);
        emit(RET_K, 0, 0, RET_KILL_PROCESS);
        // x32 calls have their own numbers: refuse them unless x32 is listed (then default action).
        emit(LD_W_ABS, 0, 0, 0);
        emit(JMP_JGE_K, 0, 1, X32_SYSCALL_BIT);
        emit(RET_K, 0, 0, arches.contains("SCMP_ARCH_X32") ? defaultAction : RET_KILL_PROCESS);
        Map<String, Integer> table = SyscallTable.x86_64();
        if (seccomp.syscalls() != null) {
            for (int r = 0; r < seccomp.syscalls().size(); r++) {
                Spec.Syscall rule = seccomp.syscalls().get(r);
                String where = "syscalls[" + r + "]";
                if (rule.names() == null || rule.names().isEmpty()) {
                    throw new IllegalArgumentException("seccomp: " + where + " has no names");
                }
                int action = action(rule.action(), rule.errnoRet(), where + ".action");
                List<List<Spec.Arg>> alternatives = alternatives(rule.args(), where);
                if (action == defaultAction) {
                    continue; // same as falling through
                }
                for (String name : rule.names()) {
                    Integer nr = table.get(name);
                    if (nr == null) {
                        continue; // unknown to this architecture: runc skips these too
                    }
                    for (List<Spec.Arg> conditions : alternatives) {
                        block(nr, conditions, action);
                    }
                }
            }
        }
        emit(RET_K, 0, 0, defaultAction);
        if (program.size() > 4096) {
            throw new IllegalArgumentException("seccomp: the profile compiles to " + program.size()
                    + " instructions, more than the kernel's 4096");
        }
    }

    /** ANDed conditions when each argument appears once, else one alternative per condition. */
    private static List<List<Spec.Arg>> alternatives(List<Spec.Arg> args, String where) {
        if (args == null || args.isEmpty()) {
            return List.of(List.of());
        }
        Set<Integer> seen = new HashSet<>();
        boolean repeated = false;
        for (int i = 0; i < args.size(); i++) {
            Spec.Arg arg = args.get(i);
            if (arg.index() == null || arg.index() < 0 || arg.index() > 5) {
                throw new IllegalArgumentException("seccomp: " + where + ".args[" + i + "].index must be 0 to 5");
            }
            if (arg.op() == null) {
                throw new IllegalArgumentException("seccomp: " + where + ".args[" + i + "].op is missing");
            }
            op(arg.op(), where + ".args[" + i + "]");
            repeated |= !seen.add(arg.index());
        }
        if (!repeated) {
            return List.of(args);
        }
        List<List<Spec.Arg>> each = new ArrayList<>();
        for (Spec.Arg arg : args) {
            each.add(List.of(arg));
        }
        return each;
    }

    /**
     * One rule: {@code JEQ nr} (else skip the block), the argument checks, {@code RET action},
     * and, when there are checks, a reload of nr that failed checks jump to before falling
     * through to the next block. Jump fields holding {@link #FAIL} are resolved here.
     */
    private void block(int nr, List<Spec.Arg> conditions, int action) {
        List<long[]> body = new ArrayList<>();
        for (Spec.Arg arg : conditions) {
            argumentCheck(body, arg);
        }
        body.add(new long[] {RET_K, 0, 0, action & 0xffffffffL});
        if (!conditions.isEmpty()) {
            body.add(new long[] {LD_W_ABS, 0, 0, 0});
        }
        int reload = body.size() - 1;
        for (int i = 0; i < body.size(); i++) {
            long[] insn = body.get(i);
            for (int field = 1; field <= 2; field++) {
                if (insn[field] == FAIL) {
                    insn[field] = reload - i - 1;
                }
            }
        }
        if (body.size() > 255) {
            throw new IllegalArgumentException("seccomp: rule too large");
        }
        emit(JMP_JEQ_K, 0, body.size(), nr);
        program.addAll(body);
    }

    /**
     * Appends the check of one 64-bit argument (little endian: low word at offset 16+8i, high
     * word at +4). Failure jumps hold {@link #FAIL}.
     */
    private static void argumentCheck(List<long[]> body, Spec.Arg arg) {
        int lo = 16 + 8 * arg.index();
        int hi = lo + 4;
        long value = arg.value() == null ? 0 : arg.value();
        long valueTwo = arg.valueTwo() == null ? 0 : arg.valueTwo();
        int vHi = (int) (value >>> 32);
        int vLo = (int) value;
        String op = arg.op();
        switch (op) {
            case "SCMP_CMP_EQ" -> {
                body.add(new long[] {LD_W_ABS, 0, 0, hi});
                failIfNot(body, JMP_JEQ_K, vHi);
                body.add(new long[] {LD_W_ABS, 0, 0, lo});
                failIfNot(body, JMP_JEQ_K, vLo);
            }
            case "SCMP_CMP_NE" -> {
                // fails when both words are equal
                body.add(new long[] {LD_W_ABS, 0, 0, hi});
                body.add(new long[] {JMP_JEQ_K, 0, 2, vHi & 0xffffffffL}); // hi differs: match, skip 2
                body.add(new long[] {LD_W_ABS, 0, 0, lo});
                failIf(body, JMP_JEQ_K, vLo);
            }
            case "SCMP_CMP_MASKED_EQ" -> {
                int mHi = vHi;
                int mLo = vLo;
                int tHi = (int) (valueTwo >>> 32);
                int tLo = (int) valueTwo;
                body.add(new long[] {LD_W_ABS, 0, 0, hi});
                body.add(new long[] {ALU_AND_K, 0, 0, mHi & 0xffffffffL});
                failIfNot(body, JMP_JEQ_K, tHi);
                body.add(new long[] {LD_W_ABS, 0, 0, lo});
                body.add(new long[] {ALU_AND_K, 0, 0, mLo & 0xffffffffL});
                failIfNot(body, JMP_JEQ_K, tLo);
            }
            case "SCMP_CMP_GT", "SCMP_CMP_GE", "SCMP_CMP_LT", "SCMP_CMP_LE" -> {
                // Unsigned 64-bit compare: decide on the high word unless equal, then the low word.
                boolean greater = op.equals("SCMP_CMP_GT") || op.equals("SCMP_CMP_GE");
                boolean orEqual = op.equals("SCMP_CMP_GE") || op.equals("SCMP_CMP_LE");
                body.add(new long[] {LD_W_ABS, 0, 0, hi});
                // hi > vHi: match for GT/GE (skip the rest), fail for LT/LE
                int skipRest = 3; // the JEQ, the LD lo and the final compare
                if (greater) {
                    body.add(new long[] {JMP_JGT_K, skipRest, 0, vHi & 0xffffffffL});
                } else {
                    body.add(new long[] {JMP_JGT_K, FAIL, 0, vHi & 0xffffffffL});
                }
                // hi < vHi: fail for GT/GE, match for LT/LE
                if (greater) {
                    body.add(new long[] {JMP_JEQ_K, 0, FAIL, vHi & 0xffffffffL});
                } else {
                    body.add(new long[] {JMP_JEQ_K, 0, 2, vHi & 0xffffffffL});
                }
                body.add(new long[] {LD_W_ABS, 0, 0, lo});
                if (greater) {
                    failIfNot(body, orEqual ? JMP_JGE_K : JMP_JGT_K, vLo);
                } else {
                    failIf(body, orEqual ? JMP_JGT_K : JMP_JGE_K, vLo);
                }
            }
            default -> throw new IllegalArgumentException("seccomp: unknown operator " + op);
        }
    }

    /** A conditional jump that continues when the test holds and fails the block otherwise. */
    private static void failIfNot(List<long[]> body, int code, int k) {
        body.add(new long[] {code, 0, FAIL, k & 0xffffffffL});
    }

    /** A conditional jump that fails the block when the test holds and continues otherwise. */
    private static void failIf(List<long[]> body, int code, int k) {
        body.add(new long[] {code, FAIL, 0, k & 0xffffffffL});
    }

    private static void op(String op, String where) {
        switch (op) {
            case "SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_GT", "SCMP_CMP_GE", "SCMP_CMP_LT",
                 "SCMP_CMP_LE" -> {
            }
            default -> throw new IllegalArgumentException("seccomp: " + where + ": unknown operator " + op);
        }
    }

    private static int action(String name, Integer errnoRet, String where) {
        if (name == null) {
            throw new IllegalArgumentException("seccomp: " + where + " is missing");
        }
        return switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> RET_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> RET_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> RET_TRAP;
            case "SCMP_ACT_ERRNO" -> RET_ERRNO | ((errnoRet == null ? EPERM : errnoRet) & 0xffff);
            case "SCMP_ACT_TRACE" -> RET_TRACE | ((errnoRet == null ? EPERM : errnoRet) & 0xffff);
            case "SCMP_ACT_LOG" -> RET_LOG;
            case "SCMP_ACT_ALLOW" -> RET_ALLOW;
            default -> throw new IllegalArgumentException("seccomp: " + where + ": unknown action " + name);
        };
    }
}
