package dev.vessel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.runtime.cgroup.Hierarchy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * linux.resources.devices as a pure-v2 host enforces them: the eBPF program on the container's
 * v2 cgroup (forced with vessel.devices=bpf on a hybrid host, where no v1 list is then written,
 * so only the program can refuse).
 */
class DeviceCgroupTest {
    static final String S = "-" + ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    Path bundle;
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        Bundles.assumeRoot();
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse (10:229) as the device to refuse");
        Assumptions.assumeTrue(Hierarchy.detect().stream().anyMatch(Hierarchy::v2), "needs a cgroup v2 hierarchy");
        System.setProperty("vessel.devices", "bpf");
        bundle = Bundles.create(tmp.resolve("bundle"));
        root = tmp.resolve("state");
        ObjectNode config = Bundles.config(bundle);
        ArrayNode devices = Bundles.linux(config).putArray("devices");
        devices.addObject().put("path", "/dev/fuse").put("type", "c").put("major", 10).put("minor", 229)
                .put("fileMode", 0666);
        Bundles.write(bundle, config);
        Bundles.args(bundle, "sh", "-c", "r=no; w=no; (: < /dev/fuse) && r=ok; (: > /dev/fuse) && w=ok; "
                + "echo fuse r=$r w=$w; head -c 3 /dev/zero | wc -c");
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty("vessel.devices");
    }

    @Test
    void theDefaultDenyRefusesADeviceNodeTheContainerHas() throws Exception {
        Bundles.Result result = Bundles.vessel(root, bundle, "devdeny" + S);
        assertThat(result.status()).isZero();
        assertThat(result.output()).contains("Operation not permitted").contains("fuse r=no w=no\n3\n");
    }

    @Test
    void anAllowRuleLetsItBeReadOnly() throws Exception {
        ObjectNode config = Bundles.config(bundle);
        ((ArrayNode) Bundles.linux(config).get("resources").get("devices")).addObject()
                .put("allow", true).put("type", "c").put("major", 10).put("minor", 229).put("access", "r");
        Bundles.write(bundle, config);
        Bundles.Result result = Bundles.vessel(root, bundle, "devallow" + S);
        assertThat(result.status()).isZero();
        assertThat(result.output()).contains("fuse r=ok w=no\n3\n");
    }

    @Test
    void onAHybridHostTheV1ListsRefuseItToo() throws Exception {
        System.clearProperty("vessel.devices");
        Assumptions.assumeTrue(Hierarchy.detect().stream().anyMatch(h -> !h.v2() && h.has("devices")),
                "pure v2: the program is always there");
        // hybrid host, v1 lists: refused there too (the same rules, the other mechanism)
        Bundles.Result result = Bundles.vessel(root, bundle, "devv1" + S);
        assertThat(result.output()).contains("fuse r=no w=no\n3\n");
    }
}
