package dev.vessel.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.engine.container.HostConfig.MountRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountFlagsTest {
    @Test
    void volumeFlagForms() {
        assertThat(MountFlags.volume("/host/dir:/data:ro"))
                .isEqualTo(new MountRequest("bind", "/host/dir", "/data", true, List.of()));
        assertThat(MountFlags.volume("cache:/var/cache"))
                .isEqualTo(new MountRequest("volume", "cache", "/var/cache", false, List.of()));
        assertThat(MountFlags.volume("/anonymous"))
                .isEqualTo(new MountRequest("volume", "", "/anonymous", false, List.of()));
        assertThatThrownBy(() -> MountFlags.volume("/a:relative")).hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> MountFlags.volume("/a:/b:bogus")).hasMessageContaining("invalid mode 'bogus'");
    }

    @Test
    void mountFlagForms() {
        assertThat(MountFlags.mount("type=bind,source=/src,target=/dst,readonly"))
                .isEqualTo(new MountRequest("bind", "/src", "/dst", true, List.of()));
        assertThat(MountFlags.mount("type=tmpfs,target=/scratch,tmpfs-size=1m"))
                .isEqualTo(new MountRequest("tmpfs", "", "/scratch", false, List.of("size=1048576")));
        assertThatThrownBy(() -> MountFlags.mount("type=nfs,target=/x")).hasMessageContaining("unsupported mount type 'nfs'");
        assertThatThrownBy(() -> MountFlags.mount("type=bind,source=/x")).hasMessageContaining("needs a target");
    }

    @Test
    void tmpfsFlagHasDockersDefaults() {
        assertThat(MountFlags.tmpfs("/run:size=64m,exec").options()).containsExactly("nosuid", "nodev", "size=67108864");
        assertThat(MountFlags.tmpfs("/run").options()).containsExactly("noexec", "nosuid", "nodev");
    }

    @Test
    void byteSizes() {
        assertThat(ByteSizes.parse("512m")).isEqualTo(512L << 20);
        assertThat(ByteSizes.parse("1.5GiB")).isEqualTo(3L << 29);
        assertThat(ByteSizes.parse("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> ByteSizes.parse("lots")).hasMessageContaining("invalid size 'lots'");
    }
}
