package dev.vessel.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.cli.CliRun;
import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vessel pull, push, login and logout run in-process against a local docker-registry. */
class RegistryVerbsTest {
    @TempDir
    Path tmp;

    private Path authFile;

    @BeforeEach
    void isolateCredentials() {
        authFile = tmp.resolve("docker/config.json");
        System.setProperty("vessel.registry.authFile", authFile.toString());
        System.setProperty("vessel.registry.certsDirs", tmp.resolve("certs.d").toString());
        // Never the host's /etc/containers/registries.conf nor its credential helpers.
        System.setProperty("vessel.registry.registriesConf", tmp.resolve("registries.conf").toString());
        System.setProperty("vessel.registry.helperPath", tmp.resolve("bin").toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("vessel.registry.authFile");
        System.clearProperty("vessel.registry.certsDirs");
        System.clearProperty("vessel.registry.registriesConf");
        System.clearProperty("vessel.registry.helperPath");
    }

    /** A small image in a store under a name (random layers: the registry does not look inside). */
    static Image storeImage(Path root, String name, long seed) throws Exception {
        Random random = new Random(seed);
        byte[] layer1 = new byte[100_000];
        byte[] layer2 = new byte[50_000];
        random.nextBytes(layer1);
        random.nextBytes(layer2);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.of(layer1) + "\",\"" + Digest.of(layer2) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.of(config) + "\",\"size\":" + config.length + "},\"layers\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + Digest.of(layer1) + "\",\"size\":" + layer1.length + "},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + Digest.of(layer2) + "\",\"size\":" + layer2.length + "}]}";
        try (StoreWriter writer = ImageStore.open(root).writer()) {
            writer.putBlob(layer1, MediaTypes.OCI_LAYER_GZIP);
            writer.putBlob(layer2, MediaTypes.OCI_LAYER_GZIP);
            writer.putBlob(config, MediaTypes.OCI_CONFIG);
            Image image = writer.putImage(manifest.getBytes(StandardCharsets.UTF_8));
            writer.tag(ImageReference.parse(name), image.manifestDigest());
            writer.commit();
            return image;
        }
    }

    @Test
    void pushThenPullIntoAnotherStore() throws Exception {
        Path source = tmp.resolve("source");
        Image image = storeImage(source, "localhost/app:1", 1);
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), null)) {
            String remote = registry.host() + "/team/app:1";
            CliRun refused = CliRun.of("--root", source.toString(), "push", "localhost/app:1", remote);
            assertThat(refused.status()).isEqualTo(125);
            assertThat(refused.err()).startsWith("vessel: TLS failure talking to " + registry.host()).contains("--tls-verify=false");
            assertThat(refused.err().strip().lines()).hasSize(1);

            CliRun pushed = CliRun.of("--root", source.toString(), "push", "--tls-verify=false", "localhost/app:1", remote);
            assertThat(pushed.status()).as(pushed.err()).isZero();
            assertThat(pushed.out()).contains("1: digest: " + image.manifestDigest() + " size: ");

            Path target = tmp.resolve("target");
            CliRun pulled = CliRun.of("--root", target.toString(), "pull", "--tls-verify=false", remote);
            assertThat(pulled.status()).as(pulled.err()).isZero();
            assertThat(pulled.out()).contains("Digest: " + image.manifestDigest())
                    .contains("Status: Downloaded newer image for " + remote)
                    .endsWith(remote + "\n");
            Image copy = ImageStore.open(target).resolve(remote);
            assertThat(copy.manifestDigest()).isEqualTo(image.manifestDigest());
            assertThat(copy.id()).isEqualTo(image.id());

            CliRun quiet = CliRun.of("--root", target.toString(), "pull", "-q", "--tls-verify=false", remote);
            assertThat(quiet.out()).isEqualTo(remote + "\n");
        }
    }

    @Test
    void badInputGivesOneLineErrors() throws Exception {
        Path root = tmp.resolve("root");
        CliRun badRef = CliRun.of("--root", root.toString(), "pull", "UPPER/Case");
        assertThat(badRef.status()).isEqualTo(125);
        assertThat(badRef.err()).startsWith("vessel: invalid reference format");
        CliRun missing = CliRun.of("--root", root.toString(), "push", "localhost/none:1");
        assertThat(missing.status()).isEqualTo(125);
        assertThat(missing.err()).isEqualTo("vessel: No such image: localhost/none:1\n");
        CliRun badPlatform = CliRun.of("--root", root.toString(), "pull", "--platform", "amd64", "busybox");
        assertThat(badPlatform.err()).startsWith("vessel: invalid platform");
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), null)) {
            CliRun unknown = CliRun.of("--root", root.toString(), "pull", "--tls-verify=false", registry.host() + "/no/such:1");
            assertThat(unknown.status()).isEqualTo(125);
            assertThat(unknown.err()).startsWith("vessel: not found: manifest no/such:1 on " + registry.host());
        }
        assertThat(ImageStore.open(root).images()).isEmpty();
    }

    @Test
    void loginChecksAndStoresCredentialsThenLogoutRemovesThem() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/htpasswd")), "htpasswd is not installed (apache2-utils)");
        Path htpasswd = tmp.resolve("htpasswd");
        Process p = new ProcessBuilder("/usr/bin/htpasswd", "-B", "-b", "-c", htpasswd.toString(), "alice", "s3cret")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        Path source = tmp.resolve("source");
        storeImage(source, "localhost/app:1", 2);
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), htpasswd)) {
            String host = registry.host();
            CliRun anonymous = CliRun.of("--root", source.toString(), "push", "--tls-verify=false", "localhost/app:1", host + "/app:1");
            assertThat(anonymous.status()).isEqualTo(125);
            assertThat(anonymous.err()).startsWith("vessel: unauthorized").contains("vessel login " + host);

            CliRun wrong = CliRun.of("login", "--tls-verify=false", "-u", "alice", "-p", "nope", host);
            assertThat(wrong.status()).isEqualTo(125);
            assertThat(wrong.err()).startsWith("vessel: unauthorized");
            assertThat(authFile).doesNotExist();

            CliRun login = withStdin("s3cret\n", () -> CliRun.of("login", "--tls-verify=false", "-u", "alice", "--password-stdin", host));
            assertThat(login.status()).as(login.err()).isZero();
            assertThat(login.out()).isEqualTo("Login Succeeded\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile))).isEqualTo("rw-------");
            assertThat(Files.readString(authFile)).contains("\"" + host + "\"").contains("YWxpY2U6czNjcmV0");

            CliRun pushed = CliRun.of("--root", source.toString(), "push", "-q", "--tls-verify=false", "localhost/app:1", host + "/app:1");
            assertThat(pushed.status()).as(pushed.err()).isZero();
            assertThat(pushed.out()).isEqualTo(host + "/app:1\n");

            CliRun logout = CliRun.of("logout", host);
            assertThat(logout.out()).isEqualTo("Removing login credentials for " + host + "\n");
            assertThat(Files.readString(authFile)).doesNotContain(host);
            assertThat(CliRun.of("logout", host).out()).isEqualTo("Not logged in to " + host + "\n");
            CliRun again = CliRun.of("--root", tmp.resolve("other").toString(), "pull", "--tls-verify=false", host + "/app:1");
            assertThat(again.err()).startsWith("vessel: unauthorized");
        }
    }

    @Test
    void credentialHelperAndRegistriesConf() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/htpasswd")), "htpasswd is not installed (apache2-utils)");
        Path htpasswd = tmp.resolve("htpasswd");
        Process p = new ProcessBuilder("/usr/bin/htpasswd", "-B", "-b", "-c", htpasswd.toString(), "alice", "s3cret")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        // docker-credential-vtest: keeps each server's JSON in a file of its own, logs the calls.
        Path keychain = Files.createDirectories(tmp.resolve("keychain"));
        Path helper = Files.createDirectories(tmp.resolve("bin")).resolve("docker-credential-vtest");
        Files.writeString(helper, """
                #!/bin/sh
                k='%s'
                in=$(cat); echo "$1 $in" >>"$k/calls"
                case "$1" in
                store) printf '%%s' "$in" >"$k/secret" ;;
                get) [ -f "$k/secret" ] || { echo "credentials not found in native keychain"; exit 1; }; cat "$k/secret" ;;
                erase) rm "$k/secret" ;;
                esac
                """.formatted(keychain));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(authFile.getParent());
        Files.writeString(authFile, "{\"credsStore\": \"vtest\"}");
        Path source = tmp.resolve("source");
        storeImage(source, "localhost/app:1", 3);
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), htpasswd)) {
            String host = registry.host();
            // Plain HTTP only once registries.conf lists the registry as insecure.
            CliRun refused = withStdin("s3cret", () -> CliRun.of("login", "-u", "alice", "--password-stdin", host));
            assertThat(refused.err()).startsWith("vessel: TLS failure talking to " + host);
            Files.writeString(tmp.resolve("registries.conf"), "[[registry]]\nlocation = \"" + host + "\"\ninsecure = true\n");

            CliRun login = withStdin("s3cret", () -> CliRun.of("login", "-u", "alice", "--password-stdin", host));
            assertThat(login.status()).as(login.err()).isZero();
            assertThat(Files.readString(keychain.resolve("secret")))
                    .isEqualTo("{\"ServerURL\":\"" + host + "\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}");
            assertThat(Files.readString(authFile)).doesNotContain("s3cret").doesNotContain("YWxpY2U6czNjcmV0");

            CliRun pushed = CliRun.of("--root", source.toString(), "push", "-q", "localhost/app:1", host + "/app:1");
            assertThat(pushed.status()).as(pushed.err()).isZero();
            assertThat(Files.readAllLines(keychain.resolve("calls"))).contains("get " + host);

            CliRun logout = CliRun.of("logout", host);
            assertThat(logout.out()).isEqualTo("Removing login credentials for " + host + "\n");
            assertThat(keychain.resolve("secret")).doesNotExist();
            CliRun again = CliRun.of("--root", tmp.resolve("other").toString(), "pull", host + "/app:1");
            assertThat(again.err()).startsWith("vessel: unauthorized");
        }
    }

    @Test
    void aotTrainingPullsAndPushesForReal() throws Exception {
        // The training lines that reach the in-process training registry must succeed, or the
        // AOT cache silently misses everything after the connection.
        Path root = tmp.resolve("training-root");
        java.util.List<java.util.List<String>> real = new RegistryVerbs().trainingLines().stream()
                .filter(line -> line.stream().anyMatch(arg -> arg.contains("/vessel/training:1") && !arg.startsWith("127.0.0.1:1/")))
                .toList();
        assertThat(real).hasSize(2);
        for (java.util.List<String> line : real) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--root", root.toString()));
            args.addAll(line);
            CliRun run = CliRun.of(args.toArray(new String[0]));
            assertThat(run.status()).as(line + ": " + run.err()).isZero();
        }
        assertThat(ImageStore.open(root).images()).hasSize(1);
        assertThat(ImageStore.open(root).images().getFirst().tags()).hasSize(1);
    }

    private static CliRun withStdin(String input, java.util.function.Supplier<CliRun> run) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(saved);
        }
    }
}
