package dev.vessel.vm.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.os.Timestamps;
import dev.vessel.vm.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Chooses QEMU's accelerator: KVM only when /dev/kvm really runs guests, else TCG. A
 * /dev/kvm without VT-x/AMD-V underneath (PVM, as on these build machines) opens fine yet
 * cannot boot stock kernels, so the CPU flags are checked first and, when they promise
 * hardware virtualisation, a tiny generated guest is booted with KVM to confirm. The answer
 * is cached in ROOT/vm-accelerator.json per host kernel; VESSEL_VM_ACCEL=kvm|tcg overrides.
 */
public final class Accelerator {
    private Accelerator() {
    }

    /** The choice and why it was made. */
    public record Choice(String accelerator, String reason) {
    }

    public static Choice choose(Path root) {
        String forced = System.getenv("VESSEL_VM_ACCEL");
        if (forced != null && (forced.equals("kvm") || forced.equals("tcg"))) {
            return new Choice(forced, "set by VESSEL_VM_ACCEL");
        }
        Path cache = root.resolve("vm-accelerator.json");
        String hostKernel = hostKernel();
        try {
            if (Files.isRegularFile(cache)) {
                JsonNode cached = JsonFiles.JSON.readTree(cache.toFile());
                if (hostKernel.equals(cached.path("hostKernel").asText())) {
                    return new Choice(cached.path("accelerator").asText(), cached.path("reason").asText());
                }
            }
        } catch (IOException ignored) {
            // a damaged cache is probed again
        }
        Choice choice = probe(root);
        try {
            Files.createDirectories(root);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("accelerator", choice.accelerator());
            record.put("reason", choice.reason());
            record.put("hostKernel", hostKernel);
            record.put("probedAt", Timestamps.now());
            JsonFiles.write(cache, record);
        } catch (IOException ignored) {
            // not cached: probed again next time
        }
        return choice;
    }

    static Choice probe(Path root) {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.exists(kvm)) {
            return new Choice("tcg", "no /dev/kvm");
        }
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return new Choice("tcg", "/dev/kvm is not accessible to this user");
        }
        if (!cpuHasVirtualisation()) {
            return new Choice("tcg", "/dev/kvm exists but the CPU has no VT-x/AMD-V (vmx/svm) flags: "
                    + "not hardware virtualisation (e.g. PVM), stock kernels would not boot");
        }
        return bootsWith("kvm", root) ? new Choice("kvm", "/dev/kvm booted the probe guest")
                : new Choice("tcg", "/dev/kvm failed to boot the probe guest");
    }

    static boolean cpuHasVirtualisation() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    List<String> flags = List.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
                    return flags.contains("vmx") || flags.contains("svm");
                }
            }
        } catch (IOException ignored) {
            // unreadable: assume none
        }
        return false;
    }

    /**
     * Boots a generated 512-byte boot sector that writes 'K' to the serial port and leaves
     * through isa-debug-exit (QEMU exit status 3); true when that happens within 10 s.
     */
    public static boolean bootsWith(String accelerator, Path work) {
        Path sector = null;
        try {
            Files.createDirectories(work);
            sector = Files.createTempFile(work, "accel-probe", ".img");
            Files.write(sector, bootSector());
            Process qemu = new ProcessBuilder(QemuBinary.path(), "-M", "pc", "-accel", accelerator,
                    "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
                    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                    "-drive", "file=" + sector + ",format=raw,if=ide")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            boolean exited = qemu.waitFor(10, TimeUnit.SECONDS);
            if (!exited) {
                qemu.destroyForcibly();
                qemu.waitFor();
                return false;
            }
            String output = new String(qemu.getInputStream().readAllBytes());
            return qemu.exitValue() == 3 && output.contains("K");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (sector != null) {
                try {
                    Files.deleteIfExists(sector);
                } catch (IOException ignored) {
                    // temporary file
                }
            }
        }
    }

    static byte[] bootSector() {
        byte[] code = {
            (byte) 0xBA, (byte) 0xF8, 0x03, // mov dx, 0x3f8 (COM1)
            (byte) 0xB0, 'K',               // mov al, 'K'
            (byte) 0xEE,                    // out dx, al
            (byte) 0xB0, 0x01,              // mov al, 1
            (byte) 0xE6, (byte) 0xF4,       // out 0xf4, al  (isa-debug-exit: status 1<<1|1 = 3)
            (byte) 0xF4,                    // hlt
            (byte) 0xEB, (byte) 0xFD,       // jmp back to hlt
        };
        byte[] sector = new byte[512];
        System.arraycopy(code, 0, sector, 0, code.length);
        sector[510] = 0x55;
        sector[511] = (byte) 0xAA;
        return sector;
    }

    private static String hostKernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
