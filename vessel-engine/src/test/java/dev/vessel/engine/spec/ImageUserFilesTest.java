package dev.vessel.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageUserFilesTest {
    @TempDir
    Path tmp;

    @Test
    void theUsersReadThroughTheRootAreRememberedBesideTheTopLayer() throws Exception {
        Path bottom = Files.createDirectories(tmp.resolve("layers/a/diff"));
        Path top = Files.createDirectories(tmp.resolve("layers/b/diff"));
        List<Path> layers = List.of(bottom, top);
        Path rootfs = Files.createDirectories(tmp.resolve("merged/etc")).getParent();
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "app:x:1000:\nextra:x:2000:app\n");

        assertThat(ImageUserFiles.remembered(layers)).as("nothing remembered yet").isNull();
        UserResolver.ResolvedUser read = ImageUserFiles.readAndRemember(layers, rootfs).resolve("app");
        assertThat(read).isEqualTo(new UserResolver.ResolvedUser(1000, 1000, List.of(2000), "/home/app"));
        assertThat(tmp.resolve("layers/b/etc-users.json")).exists();

        // the files under the root may go: the remembered copy answers alone
        Files.delete(rootfs.resolve("etc/passwd"));
        assertThat(ImageUserFiles.remembered(layers).resolve("app")).isEqualTo(read);
    }

    @Test
    void missingFilesAreRememberedAsMissingAndADamagedCopyIsReadAgain() throws Exception {
        List<Path> layers = List.of(Files.createDirectories(tmp.resolve("layers/c/diff")));
        Path rootfs = Files.createDirectories(tmp.resolve("empty-root"));
        assertThat(ImageUserFiles.readAndRemember(layers, rootfs).resolve("")).isEqualTo(
                new UserResolver.ResolvedUser(0, 0, List.of(), "/"));
        assertThat(ImageUserFiles.remembered(layers).resolve("0")).isEqualTo(
                new UserResolver.ResolvedUser(0, 0, List.of(), "/"));
        Files.writeString(tmp.resolve("layers/c/etc-users.json"), "{not json");
        assertThat(ImageUserFiles.remembered(layers)).isNull();
        assertThat(ImageUserFiles.remembered(List.of())).as("no layers, nothing to remember beside").isNull();
    }
}
