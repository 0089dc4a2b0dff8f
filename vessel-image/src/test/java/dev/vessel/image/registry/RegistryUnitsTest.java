package dev.vessel.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Challenge parsing, platforms, the credentials file, credential helpers and registries.conf. */
class RegistryUnitsTest {
    @TempDir
    Path tmp;

    @Test
    void parsesBearerAndBasicChallenges() {
        Challenge bearer = Challenge.parse("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                + "scope=\"repository:a/b:pull,push\"").orElseThrow();
        assertThat(bearer.scheme()).isEqualTo("bearer");
        assertThat(bearer.parameters()).isEqualTo(Map.of("realm", "https://auth.example/token",
                "service", "registry.example", "scope", "repository:a/b:pull,push"));
        Challenge basic = Challenge.parse("Basic realm=\"Registry Realm\"").orElseThrow();
        assertThat(basic.scheme()).isEqualTo("basic");
        assertThat(basic.parameter("realm")).isEqualTo("Registry Realm");
        assertThat(Challenge.parse("")).isEmpty();
    }

    @Test
    void platformsParseAndMatch() {
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(Platform.parse("linux/arm64/v8").matches("linux", "arm64", null)).isTrue();
        assertThat(Platform.parse("linux/arm/v7").matches("linux", "arm", "v6")).isFalse();
        assertThat(Platform.DEFAULT.matches("linux", "amd64", null)).isTrue();
        assertThat(Platform.DEFAULT.matches("windows", "amd64", null)).isFalse();
        assertThatThrownBy(() -> Platform.parse("amd64")).hasMessageContaining("expected OS/ARCH");
    }

    @Test
    void credentialsFileIsDockerCompatibleAndPrivate() throws Exception {
        Path file = tmp.resolve("home/.docker/config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"credHelpers\":{\"gcr.io\":\"gcloud\"},\"auths\":{\"other:5000\":{\"auth\":\"dTpw\"}}}");
        AuthFile auth = new AuthFile(file);
        auth.store("127.0.0.1:5000", new Credentials("alice", "pa:ss"));
        auth.store("docker.io", new Credentials("bob", "x"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        var json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("credHelpers").path("gcr.io").asText()).isEqualTo("gcloud");
        assertThat(json.path("auths").path("127.0.0.1:5000").path("auth").asText()).isEqualTo("YWxpY2U6cGE6c3M=");
        assertThat(json.path("auths").has("https://index.docker.io/v1/")).isTrue();
        assertThat(auth.find("127.0.0.1:5000")).contains(new Credentials("alice", "pa:ss"));
        assertThat(auth.find("other:5000")).contains(new Credentials("u", "p"));
        assertThat(auth.find("docker.io")).contains(new Credentials("bob", "x"));
        assertThat(auth.remove("127.0.0.1:5000")).isTrue();
        assertThat(auth.remove("127.0.0.1:5000")).isFalse();
        assertThat(auth.find("127.0.0.1:5000")).isEmpty();
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.json");
        }
        Files.writeString(file, "not json");
        assertThatThrownBy(() -> auth.find("x")).hasMessageContaining("is not a JSON object");
    }

    @Test
    void credentialHelpersKeepTheSecretsOutOfTheFile() throws Exception {
        Path file = tmp.resolve("config.json");
        Path bin = tmp.resolve("bin");
        FakeCredentialHelper store = FakeCredentialHelper.install(bin, "vtest");
        FakeCredentialHelper special = FakeCredentialHelper.install(bin, "special");
        Files.writeString(file, "{\"credsStore\":\"vtest\",\"credHelpers\":{\"special:5000\":\"special\"},"
                + "\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"b2xkOm9sZA==\"},\"plain:1\":{\"auth\":\"dTpw\"}}}");
        AuthFile auth = new AuthFile(new RegistrySettings(file, List.of(), List.of(), null, List.of(bin)));

        // login: into the store helper (Docker Hub under Docker's key); the old plaintext entry goes.
        auth.store("127.0.0.1:5000", new Credentials("alice", "pa:ss"));
        auth.store("docker.io", new Credentials("bob", "x"));
        auth.store("special:5000", new Credentials("carol", "y"));
        assertThat(store.stored("127.0.0.1:5000")).isEqualTo("{\"ServerURL\":\"127.0.0.1:5000\",\"Username\":\"alice\",\"Secret\":\"pa:ss\"}");
        assertThat(store.stored("https://index.docker.io/v1/")).contains("\"Username\":\"bob\"");
        assertThat(special.stored("special:5000")).contains("\"Secret\":\"y\"");
        assertThat(store.stored("special:5000")).isNull();
        String text = Files.readString(file);
        assertThat(text).doesNotContain("pa:ss").doesNotContain("b2xkOm9sZA==").contains("\"plain:1\"").contains("\"credsStore\"");

        // reads go through the helper; a server it does not know falls back to auths, else nothing.
        assertThat(auth.find("127.0.0.1:5000")).contains(new Credentials("alice", "pa:ss"));
        assertThat(auth.find("docker.io")).contains(new Credentials("bob", "x"));
        assertThat(auth.find("special:5000")).contains(new Credentials("carol", "y"));
        assertThat(auth.find("plain:1")).contains(new Credentials("u", "p"));
        assertThat(auth.find("nowhere:1")).isEmpty();
        assertThat(store.calls()).contains("get 127.0.0.1:5000", "get https://index.docker.io/v1/", "get plain:1", "get nowhere:1");

        // logout: erased from the helper.
        assertThat(auth.remove("127.0.0.1:5000")).isTrue();
        assertThat(store.stored("127.0.0.1:5000")).isNull();
        assertThat(auth.remove("127.0.0.1:5000")).isFalse();
        assertThat(auth.find("127.0.0.1:5000")).isEmpty();
        assertThat(auth.remove("plain:1")).isTrue();
    }

    @Test
    void credentialHelperProblemsAreOneLineErrors() throws Exception {
        Path file = tmp.resolve("config.json");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        AuthFile auth = new AuthFile(new RegistrySettings(file, List.of(), List.of(), null, List.of(bin)));
        Files.writeString(file, "{\"credsStore\":\"absent\"}");
        assertThatThrownBy(() -> auth.find("r:1")).hasMessage("credential helper docker-credential-absent (named in the credentials file) is not on the PATH");
        Path broken = bin.resolve("docker-credential-broken");
        Files.writeString(broken, "#!/bin/sh\ncat >/dev/null\necho 'keychain is locked' >&2\nexit 3\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(file, "{\"credsStore\":\"broken\"}");
        assertThatThrownBy(() -> auth.store("r:1", new Credentials("a", "b")))
                .hasMessage("credential helper docker-credential-broken store failed (exit 3): keychain is locked");
        assertThat(Files.readString(file)).isEqualTo("{\"credsStore\":\"broken\"}");
    }

    @Test
    void registriesConfInsecureListsInBothForms() throws Exception {
        Path v2 = Files.writeString(tmp.resolve("v2.conf"), """
                unqualified-search-registries = ["docker.io"]

                [[registry]]
                location = "local:5000"
                insecure = true

                [[registry]]
                prefix = "*.lab.example"
                insecure = true

                [[registry]]
                location = "secure.example"

                [[registry]]
                location = "ns.example/team"
                insecure = true
                """);
        RegistriesConf conf = RegistriesConf.read(v2);
        assertThat(conf.isInsecure("local:5000")).isTrue();
        assertThat(conf.isInsecure("local:5001")).isFalse();
        assertThat(conf.isInsecure("a.lab.example")).isTrue();
        assertThat(conf.isInsecure("b.a.lab.example:443")).isTrue();
        assertThat(conf.isInsecure("lab.example")).isFalse();
        assertThat(conf.isInsecure("secure.example")).isFalse();
        assertThat(conf.isInsecure("ns.example")).as("a namespace entry does not loosen its whole host").isFalse();

        Path v1 = Files.writeString(tmp.resolve("v1.conf"), """
                [registries.search]
                registries = ["docker.io"]
                [registries.insecure]
                registries = ["old:5000", "Other.Example"]
                """);
        assertThat(RegistriesConf.read(v1).insecure()).containsExactly("old:5000", "other.example");
        assertThat(RegistriesConf.read(v1).isInsecure("other.example")).isTrue();

        assertThat(RegistriesConf.read(tmp.resolve("absent.conf"))).isEqualTo(RegistriesConf.EMPTY);
        Path mixed = Files.writeString(tmp.resolve("mixed.conf"), "[registries.insecure]\nregistries=[\"a\"]\n[[registry]]\nlocation=\"b\"\n");
        assertThatThrownBy(() -> RegistriesConf.read(mixed)).hasMessageContaining("mixes the v1 form");
        Path broken = Files.writeString(tmp.resolve("broken.conf"), "[[registry]\nlocation = \n");
        assertThatThrownBy(() -> RegistriesConf.read(broken)).hasMessageStartingWith("cannot parse " + broken + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
