package dev.vessel.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.runtime.spec.Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compiled program, run by a small classic-BPF interpreter over chosen syscalls and arguments. */
class SeccompCompilerTest {
    static final int NR_MKDIR = 83;
    static final int NR_WRITE = 1;
    static final int NR_READ = 0;

    /** Runs the program on (arch, nr, args) as the kernel would; returns the action word. */
    static int run(List<long[]> program, int arch, int nr, long... args) {
        int a = 0;
        for (int pc = 0; pc < program.size(); pc++) {
            long[] insn = program.get(pc);
            int code = (int) insn[0];
            int k = (int) insn[3];
            switch (code) {
                case SeccompCompiler.LD_W_ABS -> a = load(k, arch, nr, args);
                case SeccompCompiler.ALU_AND_K -> a &= k;
                case SeccompCompiler.RET_K -> {
                    return k;
                }
                case SeccompCompiler.JMP_JA -> pc += k;
                case SeccompCompiler.JMP_JEQ_K -> pc += (a == k) ? insn[1] : insn[2];
                case SeccompCompiler.JMP_JGT_K -> pc += Integer.compareUnsigned(a, k) > 0 ? insn[1] : insn[2];
                case SeccompCompiler.JMP_JGE_K -> pc += Integer.compareUnsigned(a, k) >= 0 ? insn[1] : insn[2];
                default -> throw new AssertionError("unexpected opcode " + code);
            }
        }
        throw new AssertionError("fell off the end of the program");
    }

    private static int load(int offset, int arch, int nr, long[] args) {
        if (offset == 0) {
            return nr;
        }
        if (offset == 4) {
            return arch;
        }
        int index = (offset - 16) / 8;
        long value = index < args.length ? args[index] : 0;
        return (offset - 16) % 8 == 0 ? (int) value : (int) (value >>> 32);
    }

    static Spec.Seccomp profile(String defaultAction, Spec.Syscall... rules) {
        return new Spec.Seccomp(defaultAction, null, List.of("SCMP_ARCH_X86_64"), null, List.of(rules));
    }

    static Spec.Syscall rule(String name, String action, Spec.Arg... args) {
        return new Spec.Syscall(List.of(name), action, null, List.of(args));
    }

    static final int X86_64 = SeccompCompiler.AUDIT_ARCH_X86_64;
    static final int ALLOW = SeccompCompiler.RET_ALLOW;
    static final int EPERM = SeccompCompiler.RET_ERRNO | 1;

    @Test
    void denyOneCallAllowTheRest() {
        List<long[]> p = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", rule("mkdir", "SCMP_ACT_ERRNO")));
        assertThat(run(p, X86_64, NR_MKDIR)).isEqualTo(EPERM);
        assertThat(run(p, X86_64, NR_WRITE)).isEqualTo(ALLOW);
        assertThat(run(p, SeccompCompiler.AUDIT_ARCH_I386, NR_MKDIR)).isEqualTo(SeccompCompiler.RET_KILL_PROCESS);
        assertThat(run(p, X86_64, NR_MKDIR | SeccompCompiler.X32_SYSCALL_BIT)).isEqualTo(SeccompCompiler.RET_KILL_PROCESS);
    }

    @Test
    void allowListWithErrnoDefault() {
        Spec.Seccomp s = new Spec.Seccomp("SCMP_ACT_ERRNO", 38, null, null,
                List.of(new Spec.Syscall(List.of("read", "write"), "SCMP_ACT_ALLOW", null, null)));
        List<long[]> p = SeccompCompiler.compile(s);
        assertThat(run(p, X86_64, NR_READ)).isEqualTo(ALLOW);
        assertThat(run(p, X86_64, NR_WRITE)).isEqualTo(ALLOW);
        assertThat(run(p, X86_64, NR_MKDIR)).isEqualTo(SeccompCompiler.RET_ERRNO | 38);
    }

    @Test
    void sixtyFourBitComparisons() {
        long big = 0x1_0000_0005L;
        for (String op : List.of("SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE")) {
            List<long[]> p = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW",
                    rule("write", "SCMP_ACT_ERRNO", new Spec.Arg(2, big, null, op))));
            for (long value : new long[] {0, 5, big - 1, big, big + 1, 0x2_0000_0000L, 0xffff_ffffL, -1L}) {
                boolean expected = switch (op) {
                    case "SCMP_CMP_EQ" -> value == big;
                    case "SCMP_CMP_NE" -> value != big;
                    case "SCMP_CMP_LT" -> Long.compareUnsigned(value, big) < 0;
                    case "SCMP_CMP_LE" -> Long.compareUnsigned(value, big) <= 0;
                    case "SCMP_CMP_GT" -> Long.compareUnsigned(value, big) > 0;
                    default -> Long.compareUnsigned(value, big) >= 0;
                };
                assertThat(run(p, X86_64, NR_WRITE, 0, 0, value)).as(op + " " + Long.toHexString(value))
                        .isEqualTo(expected ? EPERM : ALLOW);
            }
        }
    }

    @Test
    void maskedEqualityAndAndOrSemantics() {
        List<long[]> masked = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW",
                rule("mkdir", "SCMP_ACT_ERRNO", new Spec.Arg(1, 0700L, 0700L, "SCMP_CMP_MASKED_EQ"))));
        assertThat(run(masked, X86_64, NR_MKDIR, 0, 0777)).isEqualTo(EPERM);
        assertThat(run(masked, X86_64, NR_MKDIR, 0, 0755)).isEqualTo(EPERM);
        assertThat(run(masked, X86_64, NR_MKDIR, 0, 0500)).isEqualTo(ALLOW);
        // different arguments: AND
        List<long[]> and = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", rule("write", "SCMP_ACT_ERRNO",
                new Spec.Arg(0, 1L, null, "SCMP_CMP_EQ"), new Spec.Arg(2, 10L, null, "SCMP_CMP_GT"))));
        assertThat(run(and, X86_64, NR_WRITE, 1, 0, 11)).isEqualTo(EPERM);
        assertThat(run(and, X86_64, NR_WRITE, 1, 0, 10)).isEqualTo(ALLOW);
        assertThat(run(and, X86_64, NR_WRITE, 2, 0, 11)).isEqualTo(ALLOW);
        // the same argument twice: OR
        List<long[]> or = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", rule("write", "SCMP_ACT_ERRNO",
                new Spec.Arg(0, 1L, null, "SCMP_CMP_EQ"), new Spec.Arg(0, 2L, null, "SCMP_CMP_EQ"))));
        assertThat(run(or, X86_64, NR_WRITE, 1)).isEqualTo(EPERM);
        assertThat(run(or, X86_64, NR_WRITE, 2)).isEqualTo(EPERM);
        assertThat(run(or, X86_64, NR_WRITE, 3)).isEqualTo(ALLOW);
    }

    @Test
    void invalidProfilesAreRefused() {
        assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_NOPE"))).hasMessageContaining("SCMP_ACT_NOPE");
        assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_ALLOW",
                rule("write", "SCMP_ACT_ERRNO", new Spec.Arg(6, 1L, null, "SCMP_CMP_EQ"))))).hasMessageContaining("index");
        assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_ALLOW",
                rule("write", "SCMP_ACT_ERRNO", new Spec.Arg(0, 1L, null, "SCMP_CMP_SOMETIMES"))))).hasMessageContaining("operator");
        assertThatThrownBy(() -> SeccompCompiler.compile(new Spec.Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_Z80"), null, null)))
                .hasMessageContaining("architecture");
    }
}
