package dev.vessel.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.cli.CliRun;
import dev.vessel.cli.Podman;
import dev.vessel.cli.VesselProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `vessel build` against the real runtime, file system and store, and against podman build. */
class BuildTest extends ImageTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every instruction podman 4.3 also knows (it has no here-documents), over two used stages and one unused. */
    private static final String EVERY_INSTRUCTION = """
            ARG BASE=busybox
            FROM $BASE AS builder
            ARG VERSION=1.0
            ENV APP_HOME=/opt/app \\
                MODE=build
            WORKDIR $APP_HOME
            COPY src/*.txt ./txt/
            COPY --chown=nobody:nogroup src/ ./all/
            COPY --chmod=751 src/one.txt bin/tool
            RUN ["/bin/sh", "-c", "echo $VERSION > version && mkdir -p out/txt && echo made > out/txt/made"]
            RUN rm /etc/group && rm -rf /home && mkdir /home && echo fresh > /home/file

            FROM busybox AS unused
            RUN false

            FROM busybox
            # the final stage
            COPY --from=builder /opt/app/out /srv/out
            COPY --from=builder /opt/app/version /opt/app/bin/tool /srv/
            COPY --from=builder /home /home
            COPY --from=builder /opt/app/all /srv/all
            ADD files.tgz /srv/unpacked/
            COPY logs /srv/logs
            RUN mkdir -p /data && touch /data/marker && \\
                echo done > /srv/done && rm /bin/wc
            SHELL ["/bin/sh", "-c"]
            ENV GREETING="hello world" EMPTY=
            LABEL org.example.title="build test" version=$GREETING
            EXPOSE 8080 53/udp
            VOLUME /data
            USER nobody:nogroup
            WORKDIR /srv
            STOPSIGNAL SIGINT
            HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["cat", "/srv/done"]
            ONBUILD RUN echo onbuild
            ENTRYPOINT ["/bin/sh", "-c"]
            CMD ["cat /srv/done"]
            """;

    Path context;

    @BeforeEach
    void base() throws Exception {
        assumeTrue(dev.vessel.engine.TestImages.available(), "needs busybox-static (apt-get install busybox-static)");
        dev.vessel.engine.TestImages.busybox(root);
        context = tmp.resolve("context");
        Files.createDirectories(context.resolve("src/sub"));
        Files.createDirectories(context.resolve("logs"));
        Files.writeString(context.resolve("src/one.txt"), "one\n");
        Files.writeString(context.resolve("src/two.md"), "two\n");
        Files.writeString(context.resolve("src/sub/deep.txt"), "deep\n");
        Files.setPosixFilePermissions(context.resolve("src/two.md"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(context.resolve("src/link"), Path.of("one.txt"));
        Files.writeString(context.resolve("logs/keep.log"), "keep\n");
        Files.writeString(context.resolve("logs/drop.log"), "drop\n");
        Files.writeString(context.resolve(".dockerignore"), "# comment\nlogs/*.log\n!logs/keep.log\nsecret*\n");
        Files.writeString(context.resolve("secret.txt"), "not for the image\n");
        Files.write(context.resolve("files.tgz"), gzipTar(Map.of("x", "inarch\n", "d/y", "nested\n")));
    }

    private CliRun build(String containerfile, String... args) throws IOException {
        Files.writeString(context.resolve("Containerfile"), containerfile);
        String[] full = Stream.concat(Stream.of("build"), Stream.concat(Stream.of(args), Stream.of(context.toString())))
                .toArray(String[]::new);
        return vessel(full);
    }

    @Test
    void buildsEveryInstructionAsPodmanDoes() throws Exception {
        assumeTrue(Podman.available() && onPath("umoci"), "needs podman, runc and umoci (apt-get install podman runc umoci)");
        CliRun built = build(EVERY_INSTRUCTION, "-t", "every:1");
        assertThat(built.status()).as(built.err()).isZero();
        assertThat(built.out()).doesNotContain("RUN false"); // the unused stage is not built
        Path ours = tmp.resolve("ours.tar");
        ok("save", "--format", "oci-archive", "-o", ours.toString(), "every:1");

        Path theirs = tmp.resolve("theirs.tar");
        Path busyboxArchive = tmp.resolve("busybox.tar");
        ok("save", "-o", busyboxArchive.toString(), "busybox");
        try (Podman podman = new Podman(tmp.resolve("podman"))) {
            succeeded(podman.run("load", "-q", "-i", busyboxArchive.toString()));
            succeeded(podman.run("build", "-q", "--format", "docker", "--network", "none", "--cgroup-parent",
                    podman.cgroupParent(), "-t", "every:1", context.toString()));
            succeeded(podman.run("save", "--format", "oci-archive", "-o", theirs.toString(), "every:1"));
            // and what Vessel built loads into podman and runs there
            succeeded(podman.run("load", "-q", "-i", ours.toString()));
            assertThat(succeeded(podman.container("run", "--rm", "docker.io/library/every:1"))).isEqualTo("done\n");
        }
        Path ourRootfs = unpackWithUmoci(ours, "ours");
        Path theirRootfs = unpackWithUmoci(theirs, "theirs");
        Map<String, String> ourTree = tree(ourRootfs);
        Map<String, String> theirTree = tree(theirRootfs);
        // podman leaves the empty mount points of its RUN containers behind; Vessel's layers do not have them
        theirTree.remove("etc/hostname");
        theirTree.remove("run");
        assertThat(ourTree).isEqualTo(theirTree);
        assertThat(ourTree).containsKeys("srv/out/txt/made", "srv/unpacked/d/y", "srv/logs/keep.log", "srv/tool",
                "home/file", "srv/all/link", "srv/all/sub/deep.txt").doesNotContainKeys("srv/logs/drop.log", "bin/wc", "secret.txt");
        assertThat(ourTree.get("srv/all/link")).isEqualTo("120777 65534:65534 -> one.txt");
        assertThat(ourTree.get("srv/tool")).startsWith("100751 0:0");

        JsonNode ourConfig = config(ours).get("config");
        JsonNode theirConfig = config(theirs).get("config");
        for (String field : List.of("User", "WorkingDir", "Cmd", "Entrypoint", "Env", "ExposedPorts", "Volumes",
                "StopSignal")) {
            assertThat(ourConfig.get(field)).as(field).isEqualTo(theirConfig.get(field));
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) theirConfig.get("Labels")).remove("io.buildah.version");
        assertThat(ourConfig.get("Labels")).isEqualTo(theirConfig.get("Labels"));
        // podman's OCI format drops these; Docker's image config keeps them, and so does Vessel
        assertThat(ourConfig.get("Healthcheck").get("Test").toString()).isEqualTo("[\"CMD\",\"cat\",\"/srv/done\"]");
        assertThat(ourConfig.get("Healthcheck").get("Interval").asLong()).isEqualTo(30_000_000_000L);
        assertThat(ourConfig.get("OnBuild").toString()).isEqualTo("[\"RUN echo onbuild\"]");
        assertThat(ourConfig.get("Shell").toString()).isEqualTo("[\"/bin/sh\",\"-c\"]");

        assertThat(runOutput("every:1")).isEqualTo("done\n");
    }

    @Test
    void unchangedRebuildReusesEveryStepAndGivesTheSameDigest() throws Exception {
        CliRun first = build(EVERY_INSTRUCTION, "-t", "cached:1");
        assertThat(first.status()).as(first.err()).isZero();
        CliRun second = build(EVERY_INSTRUCTION, "-t", "cached:2");
        assertThat(second.status()).as(second.err()).isZero();
        long steps = second.out().lines().filter(l -> l.matches("STEP \\d+/\\d+: (RUN|COPY|ADD|WORKDIR).*")).count();
        assertThat(steps).isEqualTo(14);
        assertThat(second.out().lines().filter(l -> l.startsWith("--> Using cache")).count()).isEqualTo(steps);
        assertThat(lastLine(second)).isEqualTo(lastLine(first));
        assertThat(digest("cached:1")).isEqualTo(digest("cached:2"));

        // a changed COPY source rebuilds from that step on, and only from there
        Files.writeString(context.resolve("logs/keep.log"), "changed\n");
        CliRun changed = build(EVERY_INSTRUCTION, "-t", "cached:3");
        assertThat(changed.status()).as(changed.err()).isZero();
        List<String> lines = changed.out().lines().toList();
        int copyLogs = indexOf(lines, "COPY logs /srv/logs");
        assertThat(lines.subList(0, copyLogs).stream().filter(l -> l.startsWith("--> Using cache")).count())
                .isEqualTo(11);
        assertThat(lines.subList(copyLogs, lines.size()).stream().noneMatch(l -> l.startsWith("--> Using cache")))
                .isTrue();
        assertThat(runOutput("cached:3", "cat /srv/logs/keep.log")).isEqualTo("changed\n");

        CliRun uncached = build(EVERY_INSTRUCTION, "--no-cache", "-t", "cached:4");
        assertThat(uncached.status()).as(uncached.err()).isZero();
        assertThat(uncached.out()).doesNotContain("Using cache");
        // and with fixed timestamps even an uncached build gives the same image
        assertThat(digest("cached:4")).isEqualTo(digest("cached:3"));

        // builder prune forgets the cache: the next build runs every step again
        assertThat(ok("builder", "prune", "-f").out()).startsWith("Deleted build cache entries: ");
        CliRun afterPrune = build(EVERY_INSTRUCTION, "-t", "cached:5");
        assertThat(afterPrune.status()).as(afterPrune.err()).isZero();
        assertThat(afterPrune.out()).doesNotContain("Using cache");
        assertThat(digest("cached:5")).isEqualTo(digest("cached:3"));
    }

    @Test
    void hereDocumentsEscapeDirectiveArgsAndTargets() throws Exception {
        String containerfile = """
                # escape=`
                ARG GREETING=hello
                FROM busybox AS first
                ARG GREETING
                ARG WHO=nobody
                RUN <<EOF
                echo "$GREETING $WHO" > /greeting
                EOF
                COPY <<EOF /etc/motd
                welcome ${WHO}
                EOF
                COPY <<'EOF' /raw
                $NOT_EXPANDED
                EOF
                RUN cat <<EOT > /from-shell && `
                    echo continued >> /from-shell
                shell heredoc
                EOT

                COPY --from=busybox /etc/passwd /from-image/
                FROM scratch AS second
                COPY --from=first /greeting /
                """;
        CliRun built = build(containerfile, "--build-arg", "WHO=world", "--target", "first", "-t", "here:1");
        assertThat(built.status()).as(built.err()).isZero();
        assertThat(built.out()).doesNotContain("COPY --from=first");
        assertThat(runOutput("here:1", "cat", "/greeting", "/etc/motd", "/raw", "/from-shell"))
                .isEqualTo("hello world\nwelcome world\n$NOT_EXPANDED\nshell heredoc\ncontinued\n");
        assertThat(runOutput("here:1", "grep", "-c", "root", "/from-image/passwd")).isEqualTo("1\n");
        CliRun scratch = build(containerfile, "--build-arg", "WHO=world", "-t", "scratch:1");
        assertThat(scratch.status()).as(scratch.err()).isZero();
        JsonNode layers = JSON.readTree(ok("image", "inspect", "scratch:1").out()).get(0).get("RootFS").get("Layers");
        assertThat(layers).hasSize(1); // FROM scratch: only the layer its COPY made
    }

    @Test
    void fileLabelAndNetworkFlags() throws Exception {
        Path elsewhere = tmp.resolve("elsewhere.Dockerfile");
        Files.writeString(elsewhere, "FROM busybox\nLABEL from=file\nRUN ls /sys/class/net > /networks\n");
        CliRun isolated = vessel("build", "-q", "-f", elsewhere.toString(), "--label", "team=core", "-t", "net:none",
                context.toString());
        assertThat(isolated.status()).as(isolated.err()).isZero();
        JsonNode labels = JSON.readTree(ok("image", "inspect", "net:none").out()).get(0).get("Config").get("Labels");
        assertThat(labels.get("team").asText()).isEqualTo("core");
        assertThat(labels.get("from").asText()).isEqualTo("file");
        assertThat(runOutput("net:none", "cat", "/networks")).isEqualTo("lo\n");

        CliRun host = vessel("build", "-q", "-f", elsewhere.toString(), "--network", "host", "-t", "net:host",
                context.toString());
        assertThat(host.status()).as(host.err()).isZero();
        try (Stream<Path> hostNetworks = Files.list(Path.of("/sys/class/net"))) {
            String expected = hostNetworks.map(p -> p.getFileName().toString()).sorted()
                    .map(name -> name + "\n").reduce("", String::concat);
            assertThat(runOutput("net:host", "cat", "/networks")).isEqualTo(expected);
        }
        CliRun wrong = vessel("build", "--network", "bridge", context.toString());
        assertThat(wrong.status()).isNotZero();
        assertThat(wrong.err()).contains("--network");
    }

    @Test
    void failingRunPrintsItsOutputNamesTheLineAndLeavesNothingBehind() throws Exception {
        String containerfile = "FROM busybox\nRUN echo before > /file\nRUN echo visible-output; echo to-stderr >&2; exit 7\n";
        CliRun failed = build(containerfile, "-t", "broken:1");
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.out()).contains("visible-output").contains("to-stderr");
        assertThat(failed.err().strip()).contains("line 3").contains("RUN echo visible-output").contains("status 7")
                .doesNotContain("\n");
        assertThat(vessel("image", "inspect", "broken:1").status()).isNotZero();
        assertNothingLeft();

        CliRun quiet = build(containerfile, "-q");
        assertThat(quiet.status()).isEqualTo(1);
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err()).contains("visible-output").contains("line 3");
        assertNothingLeft();
    }

    private void assertNothingLeft() throws IOException {
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(root.toString());
        try (Stream<Path> left = Files.exists(root.resolve("build")) ? Files.list(root.resolve("build")) : Stream.empty()) {
            assertThat(left.toList()).isEmpty();
        }
        Path runtimeState = root.resolve("run").resolve("oci");
        try (Stream<Path> left = Files.exists(runtimeState) ? Files.list(runtimeState) : Stream.empty()) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("build-")).toList()).isEmpty();
        }
    }

    @Test
    void aBuildKilledDuringRunIsCleanedUpByTheNextBuild() throws Exception {
        Files.writeString(context.resolve("Containerfile"),
                "FROM busybox\nRUN echo started > /dev/stderr; sleep 613\n");
        Process killed = VesselProcess.start(root, "build", context.toString());
        try {
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(killed.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("started")) {
                    // the STEP lines first; the step's output comes through the build's stdout
                }
                assertThat(line).isEqualTo("started");
            }
            assertThat(running("sleep 613")).as("the RUN container before the kill").isTrue();
            killed.destroyForcibly().waitFor();
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(root.toString());

            CliRun next = build("FROM busybox\nRUN true\n");
            assertThat(next.status()).as(next.err()).isZero();
            assertNothingLeft();
            assertThat(running("sleep 613")).as("the killed build's RUN container").isFalse();
        } finally {
            if (killed.isAlive()) {
                killed.destroyForcibly().waitFor();
                build("FROM busybox\nRUN true\n"); // reaps what the killed build left
            }
        }
    }

    /** Whether a process whose command line contains {@code text} runs (read from /proc: containers included). */
    private static boolean running(String text) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String commandLine = new String(Files.readAllBytes(process.resolve("cmdline")),
                            StandardCharsets.UTF_8).replace('\0', ' ');
                    if (commandLine.contains(text)) {
                        return true;
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return false;
    }

    @Test
    void badContainerfilesGiveAClearErrorNamingTheLine() throws Exception {
        Files.writeString(tmp.resolve("outside.txt"), "outside\n");
        Map<String, String> cases = new TreeMap<>(Map.of(
                "FROM busybox\nFROBNICATE x\n", "line 2: unknown instruction: FROBNICATE",
                "RUN true\n", "line 1: RUN before the first FROM",
                "# nothing\n", "no FROM instruction",
                "FROM busybox\nCOPY ../outside.txt /\n", "line 2: COPY ../outside.txt /: COPY source '../outside.txt' is outside the build context",
                "FROM busybox\nCOPY missing.txt /\n", "line 2: COPY missing.txt /: COPY source 'missing.txt' was not found",
                "FROM busybox\nCOPY secret.txt /\n", "(or .dockerignore excludes it)",
                "FROM busybox\nADD http://example.com/x.tgz /\n", "needs network access",
                "FROM nosuchimage\n", "line 1: FROM nosuchimage:"));
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            CliRun run = build(entry.getKey(), "--pull", "never");
            assertThat(run.status()).as(entry.getKey()).isNotZero();
            assertThat(run.err().strip()).as(entry.getKey()).contains(entry.getValue()).doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        ByteArrayOutputStream evil = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(evil)) {
            add(tar, "../../escaped", "outside\n");
        }
        Files.write(context.resolve("evil.tar"), evil.toByteArray());
        CliRun escape = build("FROM busybox\nADD evil.tar /unpacked/\n");
        assertThat(escape.status()).isNotZero();
        assertThat(escape.err()).contains("line 2").contains("points outside its destination");
        assertThat(tmp.resolve("escaped")).doesNotExist();

        CliRun unknownTarget = build("FROM busybox AS a\nRUN true\n", "--target", "b");
        assertThat(unknownTarget.status()).isNotZero();
        assertThat(unknownTarget.err()).contains("target stage 'b' could not be found");
        CliRun unknownStage = build("FROM busybox\nCOPY --from=nostage /x /x\n", "--pull", "never");
        assertThat(unknownStage.status()).isNotZero();
        assertThat(unknownStage.err()).contains("line 2").contains("nostage");
        assertNothingLeft();
    }

    @Test
    void contextAsATarOnStdin() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            add(out, "Dockerfile", "FROM busybox\nCOPY hello.txt /\nCMD [\"cat\", \"/hello.txt\"]\n");
            add(out, "hello.txt", "from stdin\n");
        }
        Process process = VesselProcess.start(root, "build", "-q", "-t", "stdin:1", "-");
        try (OutputStream in = process.getOutputStream()) {
            in.write(tar.toByteArray());
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(out.strip()).matches("[0-9a-f]{64}");
        assertThat(runOutput("stdin:1")).isEqualTo("from stdin\n");
    }

    /** What a container of the image prints (a real process: the container writes to its stdout). */
    private String runOutput(String image, String... command) throws Exception {
        String[] args = Stream.concat(Stream.of("run", "--rm", image), Stream.of(command)).toArray(String[]::new);
        VesselProcess run = VesselProcess.run(root, args);
        assertThat(run.status()).as(run.err()).isZero();
        return run.out();
    }

    private static String succeeded(Podman.Result result) {
        assertThat(result.status()).as(result.err()).isZero();
        return result.out();
    }

    private Path unpackWithUmoci(Path archive, String name) throws Exception {
        Path layout = tmp.resolve(name + "-layout");
        Files.createDirectories(layout);
        run("tar", "-xf", archive.toString(), "-C", layout.toString());
        String ref = JSON.readTree(layout.resolve("index.json").toFile()).get("manifests").get(0).get("annotations")
                .get("org.opencontainers.image.ref.name").asText();
        Path rootfs = tmp.resolve(name + "-rootfs");
        run("umoci", "raw", "unpack", "--image", layout + ":" + ref, rootfs.toString());
        return rootfs;
    }

    private static JsonNode config(Path ociArchive) throws Exception {
        Path dir = ociArchive.resolveSibling(ociArchive.getFileName() + ".d");
        Files.createDirectories(dir);
        run("tar", "-xf", ociArchive.toString(), "-C", dir.toString());
        String manifest = JSON.readTree(dir.resolve("index.json").toFile()).get("manifests").get(0).get("digest").asText();
        JsonNode m = JSON.readTree(dir.resolve("blobs/sha256/" + manifest.substring(7)).toFile());
        return JSON.readTree(dir.resolve("blobs/sha256/" + m.get("config").get("digest").asText().substring(7)).toFile());
    }

    /** Each path's type and mode, owner, size, link target and content. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                if (p.equals(dir)) {
                    continue;
                }
                var attrs = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
                StringBuilder b = new StringBuilder(Integer.toOctalString((int) attrs.get("mode")))
                        .append(' ').append(attrs.get("uid")).append(':').append(attrs.get("gid"));
                if (Files.isSymbolicLink(p)) {
                    b.append(" -> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    b.append(" size=").append(attrs.get("size")).append(' ')
                            .append(TestImages.sha256(Files.readAllBytes(p)));
                }
                result.put(dir.relativize(p).toString(), b.toString());
            }
        }
        return result;
    }

    private String digest(String reference) throws IOException {
        return JSON.readTree(ok("image", "inspect", reference).out()).get(0).get("Id").asText();
    }

    private static String lastLine(CliRun run) {
        List<String> lines = run.out().lines().toList();
        return lines.get(lines.size() - 1);
    }

    private static int indexOf(List<String> lines, String instruction) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith(": " + instruction)) {
                return i;
            }
        }
        throw new AssertionError("no step " + instruction + " in " + lines);
    }

    private static byte[] gzipTar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
                add(tar, file.getKey(), file.getValue());
            }
        }
        return bytes.toByteArray();
    }

    private static void add(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setMode(0100644);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
