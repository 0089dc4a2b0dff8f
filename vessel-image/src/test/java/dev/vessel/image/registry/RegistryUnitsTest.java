package dev.vessel.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Challenge parsing, platforms and the credentials file. */
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
}
