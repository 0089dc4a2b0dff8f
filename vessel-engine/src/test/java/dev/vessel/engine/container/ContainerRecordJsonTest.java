package dev.vessel.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand binder of container.json agrees with Jackson's binding of the records' annotations, both ways. */
class ContainerRecordJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    static ContainerRecord everything() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("team", "core");
        labels.put("empty", "");
        ContainerConfig config = new ContainerConfig("host", "example.org", "nobody:nogroup", true, true, true,
                List.of("A=1", "PATH=/bin"), List.of("sh", "-c", "exit 3"), "busybox", "/tmp", List.of("/init"),
                labels, "SIGUSR1", 42);
        HostConfig host = new HostConfig(List.of("/a:/b:ro"), "none", new HostConfig.RestartPolicy("on-failure", 5),
                true, List.of("CAP_NET_ADMIN"), List.of("ALL"), true, false, true, List.of("no-new-privileges"),
                Map.of("/scratch", "size=1m"), 1L << 26, 1L << 26, 1L << 27, 1L << 25, 500_000_000L, 512, "0-1",
                -1L, List.of(new HostConfig.Ulimit("nofile", 100, 200)),
                List.of(new HostConfig.MountRequest("volume", "data", "/data", true, List.of("nocopy")),
                        new HostConfig.MountRequest("tmpfs", null, "/t", false, null)));
        ContainerState state = new ContainerState("exited", false, false, false, true, false, 0, 137, "oom",
                "2024-01-02T03:04:05Z", "2024-01-02T03:04:06Z");
        return new ContainerRecord("a".repeat(64), "web", "2024-01-02T03:04:04Z", "sha256:" + "b".repeat(64),
                "busybox", config, host, state, 3, true);
    }

    @Test
    void readsWhatJacksonWritesAndWritesWhatJacksonReads() throws Exception {
        ContainerRecord record = everything();
        assertThat(ContainerRecordJson.read(JACKSON.writeValueAsBytes(record))).isEqualTo(record);
        assertThat(JACKSON.readValue(ContainerRecordJson.write(record), ContainerRecord.class)).isEqualTo(record);
        assertThat(JACKSON.readTree(ContainerRecordJson.write(record)))
                .isEqualTo(JACKSON.readTree(JACKSON.writeValueAsBytes(record)));
        ContainerRecord sparse = ContainerStoreTest.record("sparse");
        assertThat(ContainerRecordJson.read(JACKSON.writeValueAsBytes(sparse))).isEqualTo(sparse);
        assertThat(ContainerRecordJson.read(ContainerRecordJson.write(sparse))).isEqualTo(sparse);
    }

    @Test
    void unknownFieldsAreIgnoredAndWrongTypesAreErrors() throws Exception {
        byte[] extra = "{\"Id\":\"x\",\"Future\":{\"a\":[1,2]},\"RestartCount\":2}".getBytes(StandardCharsets.UTF_8);
        assertThat(ContainerRecordJson.read(extra).restartCount()).isEqualTo(2);
        assertThatThrownBy(() -> ContainerRecordJson.read("{\"RestartCount\":\"two\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("RestartCount is not an integer");
        assertThatThrownBy(() -> ContainerRecordJson.read("[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("container record is not a JSON object");
    }
}
