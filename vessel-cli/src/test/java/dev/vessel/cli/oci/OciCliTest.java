package dev.vessel.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vessel oci` on the command line: runc's verbs, and bad input as clear one-line errors leaving nothing behind. */
class OciCliTest {
    static final String S = "-" + ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    Path bundle;
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox");
        bundle = tmp.resolve("bundle");
        Path bin = bundle.resolve("rootfs/bin");
        Files.createDirectories(bin);
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : List.of("sh", "true", "sleep", "mkdir")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        root = tmp.resolve("state");
        CliRun spec = CliRun.of("oci", "spec", "--bundle", bundle.toString());
        assertThat(spec.status()).as(spec.err()).isZero();
        edit("\"terminal\": true", "\"terminal\": false");
        edit("\"sh\"", "\"true\"");
    }

    private void edit(String from, String to) throws IOException {
        Path config = bundle.resolve("config.json");
        String text = Files.readString(config);
        assertThat(text).contains(from);
        Files.writeString(config, text.replace(from, to));
    }

    private CliRun oci(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "oci";
        full[1] = "--root";
        full[2] = root.toString();
        System.arraycopy(args, 0, full, 3, args.length);
        return CliRun.of(full);
    }

    /** Nothing of the container's left: state, cgroups. */
    private void assertNothingLeft(String id) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> entries = Files.list(root)) {
                assertThat(entries.toList()).isEmpty();
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            String name = parts[1].isEmpty() ? "unified" : parts[1].startsWith("name=") ? parts[1].substring(5) : parts[1].split(",")[0];
            Path own = Path.of("/sys/fs/cgroup", name).resolve(parts[2].substring(1));
            if (Files.isDirectory(Path.of("/sys/fs/cgroup", name))) {
                assertThat(own.resolve(id)).doesNotExist();
            }
        }
    }

    private static void assertOneLineError(CliRun run, String... fragments) {
        assertThat(run.status()).isNotZero();
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).doesNotContain("\tat ").startsWith("vessel: ");
        for (String f : fragments) {
            assertThat(run.err()).contains(f);
        }
    }

    @Test
    void specRefusesToOverwrite() {
        assertOneLineError(CliRun.of("oci", "spec", "--bundle", bundle.toString()), "exists");
    }

    @Test
    void runExitsWithTheContainersStatusAndLeavesNothing() throws Exception {
        edit("\"true\"", "\"sh\", \"-c\", \"exit 23\"");
        CliRun run = oci("run", "--bundle", bundle.toString(), "st" + S);
        assertThat(run.status()).as(run.err()).isEqualTo(23);
        assertNothingLeft("st" + S);
    }

    @Test
    void createStateStartDeleteAndList() throws Exception {
        edit("\"true\"", "\"sleep\", \"100\"");
        String id = "cli" + S;
        assertThat(oci("create", "--bundle", bundle.toString(), id).status()).isZero();
        CliRun state = oci("state", id);
        assertThat(state.out()).contains("\"status\": \"created\"").contains("\"id\": \"" + id + "\"")
                .contains("\"ociVersion\": ").contains("\"bundle\": \"" + bundle + "\"").contains("\"created\": ");
        assertThat(oci("list", "-q").out().strip()).isEqualTo(id);
        assertThat(oci("list", "--format", "json").out()).contains("\"status\": \"created\"");
        assertThat(oci("start", id).status()).isZero();
        assertThat(oci("state", id).out()).contains("\"status\": \"running\"");
        assertOneLineError(oci("delete", id), "running", "--force");
        assertThat(oci("kill", id, "KILL").status()).isZero();
        for (int i = 0; i < 500 && !oci("state", id).out().contains("stopped"); i++) {
            Thread.sleep(10);
        }
        assertThat(oci("delete", id).status()).isZero();
        assertNothingLeft(id);
    }

    @Test
    void invalidJson() throws Exception {
        Files.writeString(bundle.resolve("config.json"), "{\"process\": {");
        assertOneLineError(oci("run", "--bundle", bundle.toString(), "bad" + S), "invalid JSON", "config.json");
        assertNothingLeft("bad" + S);
    }

    @Test
    void wrongFieldType() throws Exception {
        edit("\"args\": [\"true\"]", "\"args\": \"true\"");
        assertOneLineError(oci("run", "--bundle", bundle.toString(), "bad" + S), "process.args", "expected an array");
        assertNothingLeft("bad" + S);
    }

    @Test
    void missingRootfs() throws Exception {
        edit("\"path\": \"rootfs\"", "\"path\": \"nowhere\"");
        assertOneLineError(oci("run", "--bundle", bundle.toString(), "bad" + S), "nowhere", "not a directory");
        assertNothingLeft("bad" + S);
    }

    @Test
    void executableNotFoundIs127AndNotExecutableIs126() throws Exception {
        edit("\"true\"", "\"no-such-program\"");
        CliRun notFound = oci("run", "--bundle", bundle.toString(), "nf" + S);
        assertOneLineError(notFound, "no-such-program");
        assertThat(notFound.status()).isEqualTo(127);
        assertNothingLeft("nf" + S);
        Files.writeString(bundle.resolve("rootfs/bin/plain"), "not a program");
        edit("\"no-such-program\"", "\"/bin/plain\"");
        CliRun notExecutable = oci("run", "--bundle", bundle.toString(), "nx" + S);
        assertOneLineError(notExecutable, "/bin/plain");
        assertThat(notExecutable.status()).isEqualTo(126);
        assertNothingLeft("nx" + S);
    }

    @Test
    void duplicateId() throws Exception {
        edit("\"true\"", "\"sleep\", \"100\"");
        String id = "dup" + S;
        assertThat(oci("create", "--bundle", bundle.toString(), id).status()).isZero();
        try {
            assertOneLineError(oci("create", "--bundle", bundle.toString(), id), "already in use");
            assertThat(oci("state", id).out()).contains("created");
        } finally {
            assertThat(oci("delete", "--force", id).status()).isZero();
        }
        assertNothingLeft(id);
    }

    @Test
    void invalidSeccompRule() throws Exception {
        edit("\"linux\": {", "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                + "[{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 9, \"op\": \"SCMP_CMP_EQ\"}]}]},");
        assertOneLineError(oci("run", "--bundle", bundle.toString(), "bad" + S), "seccomp", "index");
        assertNothingLeft("bad" + S);
    }

    @Test
    void cgroupsPathOutsideTheOwnSubtree() throws Exception {
        String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                .map(l -> l.split(":", 3)[2]).filter(p -> !p.equals("/")).findFirst().orElse(null);
        Assumptions.assumeTrue(own != null, "this process is in the root cgroup everywhere: every path is inside");
        edit("\"linux\": {", "\"linux\": {\"cgroupsPath\": \"/elsewhere" + S + "\",");
        assertOneLineError(oci("run", "--bundle", bundle.toString(), "bad" + S), "outside the runtime's own cgroup");
        assertNothingLeft("bad" + S);
        assertThat(Path.of("/sys/fs/cgroup/memory/elsewhere" + S)).doesNotExist();
    }

    @Test
    void errorsGoToTheLogFileAsRuncWritesThem() throws Exception {
        Path json = tmp.resolve("log.json");
        CliRun failed = CliRun.of("oci", "--root", root.toString(), "--log", json.toString(), "--log-format", "json",
                "state", "nope" + S);
        assertOneLineError(failed, "does not exist");
        List<String> lines = Files.readAllLines(json);
        assertThat(lines).hasSize(1);
        var entry = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.getFirst());
        assertThat(entry.get("level").asText()).isEqualTo("error");
        assertThat(entry.get("msg").asText()).contains("nope" + S).contains("does not exist");
        assertThat(java.time.Instant.parse(entry.get("time").asText())).isNotNull();

        Path text = tmp.resolve("log.txt");
        edit("\"true\"", "\"no-such-program\"");
        CliRun notFound = CliRun.of("oci", "--root", root.toString(), "--log", text.toString(),
                "run", "--bundle", bundle.toString(), "nf" + S);
        assertThat(notFound.status()).isEqualTo(127);
        assertThat(Files.readString(text)).matches(
                "time=\"[0-9TZ:-]+\" level=error msg=\"[^\n]*no-such-program[^\n]*\"\n");
        assertThat(oci("state", "nope" + S).status()).isNotZero();
        assertThat(CliRun.of("oci", "--root", root.toString(), "--log", json.toString(), "list").status()).isZero();
        assertThat(Files.readAllLines(json)).as("success writes nothing").hasSize(1);
    }

    @Test
    void versionAsRuncPrintsIt() {
        CliRun version = CliRun.of("oci", "--version");
        assertThat(version.status()).isZero();
        assertThat(version.out().lines().toList()).hasSize(2).first().asString().startsWith("vessel-oci version ");
        assertThat(version.out()).contains("\nspec: 1.");
    }

    @Test
    void unknownContainerAndSignal() {
        assertOneLineError(oci("state", "nope" + S), "does not exist");
        assertOneLineError(oci("kill", "nope" + S, "NOSUCHSIG"), "NOSUCHSIG");
        assertThat(oci("delete", "--force", "nope" + S).status()).isZero();
        assertThat(new String(oci("list").out().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).startsWith("ID");
    }
}
