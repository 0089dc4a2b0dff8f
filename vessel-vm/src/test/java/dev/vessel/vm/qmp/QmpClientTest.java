package dev.vessel.vm.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.vm.host.QemuBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real QEMU started paused (-S) with no guest: no boot needed. */
class QmpClientTest {
    @TempDir
    Path dir;

    @Test
    void negotiatesRunsCommandsAndReceivesEvents() throws Exception {
        assumeTrue(QemuBinary.available(), "qemu-system-x86_64 not installed");
        Path socket = dir.resolve("qmp.sock");
        Process qemu = new ProcessBuilder(QemuBinary.path(), "-M", "pc", "-accel", "tcg", "-S", "-nodefaults",
                "-display", "none", "-qmp", "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.exists(socket) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try (QmpClient qmp = QmpClient.connect(socket)) {
                assertThat(qmp.qemuVersion()).matches("\\d+\\.\\d+\\.\\d+");
                assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("prelaunch");

                qmp.execute("cont");
                assertThat(qmp.awaitEvent(e -> e.name().equals("RESUME"), Duration.ofSeconds(10)).name())
                        .isEqualTo("RESUME");
                assertThat(qmp.execute("query-status").path("running").asBoolean()).isTrue();

                qmp.execute("stop");
                qmp.awaitEvent(e -> e.name().equals("STOP"), Duration.ofSeconds(10));
                assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("paused");

                assertThatThrownBy(() -> qmp.execute("no-such-command"))
                        .isInstanceOf(QmpException.class)
                        .satisfies(e -> assertThat(((QmpException) e).errorClass()).isEqualTo("CommandNotFound"));
                assertThatThrownBy(() -> qmp.execute("human-monitor-command", Map.of("bad-arg", 1)))
                        .isInstanceOf(QmpException.class);

                qmp.execute("quit");
                QmpEvent shutdown = qmp.awaitEvent(e -> e.name().equals("SHUTDOWN"), Duration.ofSeconds(10));
                assertThat(shutdown.text("reason")).isEqualTo("host-qmp-quit");
            }
            assertThat(qemu.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor();
        }
    }

    @Test
    void connectingToNothingIsAClearError() {
        assertThatThrownBy(() -> QmpClient.connect(dir.resolve("absent.sock")))
                .isInstanceOf(QmpException.class).hasMessageContaining("cannot connect to QEMU monitor");
    }
}
