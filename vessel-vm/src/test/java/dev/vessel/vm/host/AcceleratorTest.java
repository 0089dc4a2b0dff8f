package dev.vessel.vm.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorTest {
    @TempDir
    Path root;

    @Test
    void probeGuestBootsUnderTcg() {
        assumeTrue(QemuBinary.available(), "qemu-system-x86_64 not installed");
        // The same generated guest the KVM probe uses: proves the probe can succeed at all.
        assertThat(Accelerator.bootsWith("tcg", root)).isTrue();
    }

    @Test
    void choiceIsCachedAndMatchesTheCpuFlags() throws Exception {
        assumeTrue(System.getenv("VESSEL_VM_ACCEL") == null, "accelerator forced by VESSEL_VM_ACCEL");
        Accelerator.Choice choice = Accelerator.choose(root);
        assertThat(Files.readString(root.resolve("vm-accelerator.json"))).contains(choice.accelerator());
        if (!Accelerator.cpuHasVirtualisation()) {
            assertThat(choice.accelerator()).isEqualTo("tcg");
        }
        assertThat(Accelerator.choose(root)).isEqualTo(choice);
    }
}
