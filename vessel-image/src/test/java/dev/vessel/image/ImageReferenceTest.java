package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String D = "sha256:" + "abababababababababababababababababababababababababababababababab";

    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io/library/busybox:latest, busybox:latest",
        "busybox:1.36, docker.io/library/busybox:1.36, busybox:1.36",
        "docker.io/busybox, docker.io/library/busybox:latest, busybox:latest",
        "index.docker.io/library/busybox:x, docker.io/library/busybox:x, busybox:x",
        "user/app:v1, docker.io/user/app:v1, user/app:v1",
        "localhost/x:1, localhost/x:1, localhost/x:1",
        "localhost:5000/a/b:tag, localhost:5000/a/b:tag, localhost:5000/a/b:tag",
        "host:5000/a/b:tag, host:5000/a/b:tag, host:5000/a/b:tag",
        "registry.example.com/a/b/c, registry.example.com/a/b/c:latest, registry.example.com/a/b/c:latest",
        "my-app_x.y__z, docker.io/library/my-app_x.y__z:latest, my-app_x.y__z:latest",
    })
    void normalisesAsDocker(String input, String full, String familiar) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.toString()).isEqualTo(full);
        assertThat(ref.familiarString()).isEqualTo(familiar);
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox@" + D, "docker.io/library/busybox@" + D})
    void digestReferenceHasNoDefaultTag(String input) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.tag()).isNull();
        assertThat(ref.digest()).isEqualTo(Digest.parse(D));
        assertThat(ref.toString()).isEqualTo("docker.io/library/busybox@" + D);
        assertThat(ref.isTagged()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Busybox", "busybox:", "a//b", "-x", "busybox@sha256:12", "busybox:bad tag",
        "x/../y", "abababababababababababababababababababababababababababababababab"})
    void rejectsMalformed(String input) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid");
    }

    @ParameterizedTest
    @CsvSource({"registry.example.com/a/b:1, registry.example.com, a/b", "[::1]:5000/x:1, [::1]:5000, x"})
    void splitsRegistryAndPath(String input, String domain, String path) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.domain()).isEqualTo(domain);
        assertThat(ref.path()).isEqualTo(path);
    }
}
