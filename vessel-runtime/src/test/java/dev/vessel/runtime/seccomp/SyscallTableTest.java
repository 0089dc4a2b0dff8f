package dev.vessel.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyscallTableTest {
    @Test
    void namesTheKernelsNumbers() {
        Map<String, Integer> table = SyscallTable.x86_64();
        assertThat(table).hasSize(379).containsEntry("read", 0).containsEntry("write", 1)
                .containsEntry("mkdir", 83).containsEntry("openat", 257).containsEntry("clone3", 435)
                .containsEntry("seccomp", 317);
        assertThat(new HashSet<>(table.values())).as("one name per number").hasSize(table.size());
    }
}
