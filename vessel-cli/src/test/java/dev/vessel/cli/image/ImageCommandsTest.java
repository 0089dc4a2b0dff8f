package dev.vessel.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.cli.CliRun;
import dev.vessel.image.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void setUp() {
        assumeTrue(Files.isExecutable(TestImages.BUSYBOX), "needs /bin/busybox (apt-get install busybox-static)");
        root = tmp.resolve("root");
    }

    CliRun vessel(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--root";
        full[1] = root.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliRun.of(full);
    }

    private String importBusybox(String name, String... changes) throws Exception {
        Path rootfs = tmp.resolve("rootfs.tar");
        Files.write(rootfs, TestImages.busyboxRootfs());
        List<String> args = new java.util.ArrayList<>(List.of("import"));
        for (String change : changes) {
            args.add("--change");
            args.add(change);
        }
        args.add(rootfs.toString());
        args.add(name);
        CliRun run = vessel(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
        return run.out().strip();
    }

    @Test
    void importAppliesChangesAndInspectShowsThemInDockersShape() throws Exception {
        String id = importBusybox("busybox", "CMD [\"sh\"]", "ENTRYPOINT /bin/busybox", "ENV A=1 B=\"two words\"",
                "WORKDIR /tmp", "USER nobody", "LABEL org.example.k=v", "EXPOSE 8080");
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        CliRun run = vessel("image", "inspect", "busybox");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode image = JSON.readTree(run.out()).get(0);
        assertThat(image.get("Id").asText()).isEqualTo(id);
        assertThat(image.get("RepoTags").get(0).asText()).isEqualTo("busybox:latest");
        assertThat(image.get("RepoDigests").get(0).asText()).startsWith("busybox@sha256:");
        JsonNode config = image.get("Config");
        // ENTRYPOINT clears CMD as in a Dockerfile; shell form runs through /bin/sh -c.
        assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"/bin/busybox\"]");
        assertThat(config.get("Cmd").isNull()).isTrue();
        assertThat(config.get("Env").toString()).isEqualTo("[\"A=1\",\"B=two words\"]");
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/tmp");
        assertThat(config.get("User").asText()).isEqualTo("nobody");
        assertThat(config.get("Labels").get("org.example.k").asText()).isEqualTo("v");
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(image.get("Os").asText()).isEqualTo("linux");
        assertThat(image.get("Architecture").asText()).isEqualTo("amd64");
        assertThat(image.get("RootFS").get("Type").asText()).isEqualTo("layers");
        assertThat(image.get("RootFS").get("Layers")).hasSize(1);
        assertThat(image.get("Size").asLong()).isGreaterThan(Files.size(TestImages.BUSYBOX));
        assertThat(image.get("History").get(0).get("created_by").asText()).startsWith("vessel import");
        assertThat(run.out()).contains("\"Id\": \"sha256:");
        CliRun format = vessel("image", "inspect", "--format", "{{.Config.WorkingDir}} {{json .Config.Env}}", "busybox");
        assertThat(format.out().strip()).isEqualTo("/tmp [\"A=1\",\"B=two words\"]");
    }

    @Test
    void imagesListsInDockersColumnsQuietAndJson() throws Exception {
        String id = importBusybox("busybox");
        assertThat(vessel("tag", "busybox", "localhost:5000/tools/bb:1").status()).isZero();
        CliRun table = vessel("images");
        List<String> lines = table.out().lines().toList();
        assertThat(lines.getFirst()).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
        assertThat(lines).hasSize(3);
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                "busybox +latest +" + id.substring(7, 19) + " +(Less than a second|\\d+ seconds) ago +\\d+(\\.\\d+)?MB"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("localhost:5000/tools/bb   1 "));
        assertThat(vessel("image", "ls", "-q").out()).isEqualTo(id.substring(7, 19) + "\n");
        CliRun json = vessel("images", "--format", "json");
        List<String> objects = json.out().lines().toList();
        assertThat(objects).hasSize(2);
        JsonNode first = JSON.readTree(objects.getFirst());
        assertThat(first.get("ID").asText()).isEqualTo(id.substring(7, 19));
        assertThat(first.get("Size").asText()).endsWith("MB");
        assertThat(vessel("images", "busybox").out().lines().count()).isEqualTo(2);
    }

    @Test
    void rmiUntagsThenDeletesAndHistoryAndPruneWork() throws Exception {
        String id = importBusybox("busybox", "CMD [\"sh\"]");
        CliRun history = vessel("history", "busybox");
        assertThat(history.status()).isZero();
        assertThat(history.out().lines().toList().getFirst()).matches("IMAGE +CREATED +CREATED BY +SIZE +COMMENT");
        assertThat(history.out().lines().toList().get(1)).startsWith(id.substring(7, 19)).contains("vessel import");
        vessel("tag", "busybox", "other:1");
        CliRun untag = vessel("rmi", "other:1");
        assertThat(untag.out()).isEqualTo("Untagged: other:1\n");
        vessel("tag", "busybox", "other:1");
        CliRun conflict = vessel("rmi", id.substring(7, 19));
        assertThat(conflict.status()).isNotZero();
        assertThat(conflict.err()).contains("must be forced");
        CliRun forced = vessel("rmi", "-f", id.substring(7, 19));
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("Untagged: busybox:latest").contains("Deleted: " + id);
        assertThat(vessel("images", "-q").out()).isEmpty();
        assertThat(root.resolve("blobs/sha256")).isEmptyDirectory();
        // A moved tag leaves a dangling image that prune removes.
        importBusybox("app", "CMD [\"a\"]");
        importBusybox("app", "CMD [\"b\"]");
        assertThat(vessel("images").out()).contains("<none>");
        CliRun prune = vessel("image", "prune", "-f");
        assertThat(prune.status()).isZero();
        assertThat(prune.out()).contains("deleted: sha256:").contains("Total reclaimed space:");
        assertThat(vessel("images", "-q").out().lines().count()).isEqualTo(1);
    }

    @Test
    void layerDirectoriesAreUnpackedOnceForOverlay() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "unpacking needs root");
        importBusybox("busybox");
        ImageStore store = ImageStore.open(root);
        List<Path> dirs = store.layerDirectories(store.resolve("busybox"));
        assertThat(dirs).hasSize(1);
        Path dir = dirs.getFirst();
        assertThat(dir.resolve("bin/busybox")).isExecutable();
        assertThat(Files.getAttribute(dir.resolve("bin/sh"), "unix:ino"))
                .isEqualTo(Files.getAttribute(dir.resolve("bin/busybox"), "unix:ino"));
        assertThat(store.layerDirectories(store.resolve("busybox"))).isEqualTo(dirs);
        vessel("rmi", "busybox");
        assertThat(Files.exists(dir)).isFalse();
    }
}
