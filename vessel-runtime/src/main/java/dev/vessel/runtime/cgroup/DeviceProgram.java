package dev.vessel.runtime.cgroup;

import dev.vessel.runtime.spec.Spec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles device rules (linux.resources.devices plus the defaults) to an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE, which is what cgroup v2 has instead of v1's devices.allow/deny.
 * The kernel calls it with struct bpf_cgroup_dev_ctx {u32 access_type (access << 16 | type);
 * u32 major; u32 minor} in R1; it returns 1 to allow and 0 to deny.
 *
 * As with v1 lists, the last matching rule decides: the rules are emitted last first, each a
 * block that returns its verdict when it matches and jumps to the next block otherwise; no
 * match denies. A wildcard rule (type a, any device, all access) ends the program.
 */
public final class DeviceProgram {
    // eBPF opcodes (linux/bpf.h, linux/bpf_common.h)
    private static final int LDX_MEM_W = 0x61;
    private static final int ALU32_AND_K = 0x54;
    private static final int ALU32_RSH_K = 0x74;
    private static final int ALU32_MOV_K = 0xb4;
    private static final int ALU32_MOV_X = 0xbc;
    private static final int JNE_K = 0x55;
    private static final int JNE_X = 0x5d;
    private static final int EXIT = 0x95;
    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    static final int DEV_BLOCK = 1, DEV_CHAR = 2;
    static final int ACC_MKNOD = 1, ACC_READ = 2, ACC_WRITE = 4;

    private DeviceProgram() {
    }

    /** One eBPF instruction; off is a jump's distance, in instructions, past the next one. */
    private record Insn(int code, int dst, int src, int off, int imm) {
    }

    /** The program as the kernel loads it: 8 bytes per instruction, little endian. */
    public static byte[] compile(List<Spec.DeviceRule> rules) {
        List<Insn> program = new ArrayList<>();
        // R2 = device type, R3 = requested access, R4 = major, R5 = minor
        program.add(new Insn(LDX_MEM_W, R2, R1, 0, 0));
        program.add(new Insn(ALU32_AND_K, R2, 0, 0, 0xffff));
        program.add(new Insn(LDX_MEM_W, R3, R1, 0, 0));
        program.add(new Insn(ALU32_RSH_K, R3, 0, 0, 16));
        program.add(new Insn(LDX_MEM_W, R4, R1, 4, 0));
        program.add(new Insn(LDX_MEM_W, R5, R1, 8, 0));
        boolean ended = false;
        for (int i = rules.size() - 1; i >= 0 && !ended; i--) {
            Spec.DeviceRule rule = rules.get(i);
            List<Insn> block = new ArrayList<>();
            String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
            int access = access(rule.access(), i);
            boolean anyMajor = rule.major() == null || rule.major() < 0;
            boolean anyMinor = rule.minor() == null || rule.minor() < 0;
            // jumps are patched below to the end of this block
            if (!type.equals("a")) {
                int t = switch (type) {
                    case "b" -> DEV_BLOCK;
                    case "c" -> DEV_CHAR;
                    default -> throw new IllegalArgumentException("linux.resources.devices[" + i + "].type must be a, b or c, not " + type);
                };
                block.add(new Insn(JNE_K, R2, 0, -1, t));
            }
            if (access != (ACC_MKNOD | ACC_READ | ACC_WRITE)) {
                // every requested access must be among the rule's: (R3 & access) == R3
                block.add(new Insn(ALU32_MOV_X, R1, R3, 0, 0));
                block.add(new Insn(ALU32_AND_K, R1, 0, 0, access));
                block.add(new Insn(JNE_X, R1, R3, -1, 0));
            }
            if (!type.equals("a") && !anyMajor) {
                block.add(new Insn(JNE_K, R4, 0, -1, rule.major().intValue()));
            }
            if (!type.equals("a") && !anyMinor) {
                block.add(new Insn(JNE_K, R5, 0, -1, rule.minor().intValue()));
            }
            boolean unconditional = block.isEmpty();
            block.add(new Insn(ALU32_MOV_K, R0, 0, 0, Boolean.TRUE.equals(rule.allow()) ? 1 : 0));
            block.add(new Insn(EXIT, 0, 0, 0, 0));
            for (int j = 0; j < block.size(); j++) {
                Insn insn = block.get(j);
                if (insn.off() == -1) {
                    block.set(j, new Insn(insn.code(), insn.dst(), insn.src(), block.size() - j - 1, insn.imm()));
                }
            }
            program.addAll(block);
            ended = unconditional; // earlier rules can never be reached
        }
        if (!ended) {
            program.add(new Insn(ALU32_MOV_K, R0, 0, 0, 0));
            program.add(new Insn(EXIT, 0, 0, 0, 0));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(program.size() * 8);
        for (Insn insn : program) {
            out.write(insn.code());
            out.write((insn.src() << 4) | insn.dst());
            out.write(insn.off() & 0xff);
            out.write((insn.off() >>> 8) & 0xff);
            for (int shift = 0; shift < 32; shift += 8) {
                out.write((insn.imm() >>> shift) & 0xff);
            }
        }
        return out.toByteArray();
    }

    private static int access(String access, int index) {
        if (access == null || access.isEmpty()) {
            return ACC_MKNOD | ACC_READ | ACC_WRITE;
        }
        int bits = 0;
        for (char c : access.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> ACC_READ;
                case 'w' -> ACC_WRITE;
                case 'm' -> ACC_MKNOD;
                default -> throw new IllegalArgumentException("linux.resources.devices[" + index + "].access must be made of r, w and m, not "
                        + access);
            };
        }
        return bits;
    }
}
