package dev.vessel.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {
    private final UserResolver users = UserResolver.of(
            "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n",
            "root:x:0:\napp:x:1000:\nstaff:x:50:app\nwheel:x:10:root,app\n");

    @Test
    void resolvesNamesNumbersGroupsAndSupplementaryGroups() {
        assertThat(users.resolve("")).isEqualTo(new UserResolver.ResolvedUser(0, 0, java.util.List.of(10), "/root"));
        assertThat(users.resolve("app")).isEqualTo(new UserResolver.ResolvedUser(1000, 1000, java.util.List.of(50, 10), "/home/app"));
        assertThat(users.resolve("1000:staff")).isEqualTo(new UserResolver.ResolvedUser(1000, 50, java.util.List.of(), "/home/app"));
        assertThat(users.resolve("4242:4343")).isEqualTo(new UserResolver.ResolvedUser(4242, 4343, java.util.List.of(), "/"));
    }

    @Test
    void unknownNamesAreClearErrors() {
        assertThatThrownBy(() -> users.resolve("nobody"))
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
        assertThatThrownBy(() -> users.resolve("app:nogroup"))
                .hasMessage("unable to find group nogroup: no matching entries in group file");
    }

    @Test
    void passwdSymlinkCannotReachTheHost(@TempDir Path rootfs) throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/../../etc/passwd"));
        // Resolved inside the rootfs, the link names <rootfs>/etc/passwd itself: a loop, so no users.
        assertThatThrownBy(() -> UserResolver.forRoot(rootfs).resolve("root"))
                .hasMessageContaining("unable to find user root");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createDirectories(rootfs.resolve("real"));
        Files.writeString(rootfs.resolve("real/passwd"), "guest:x:7:8::/g:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/real/passwd"));
        assertThat(UserResolver.forRoot(rootfs).resolve("guest").uid()).isEqualTo(7);
    }
}
