package dev.vessel.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seccomp rules compiled by Vessel and loaded by the helper, checked in a real container (and against runc). */
class SeccompTest {
    static final String S = "-" + ProcessHandle.current().pid();
    static final String PROBE = "mkdir /tmp/denied 2>&1 | sed 's/.*: //'; touch /tmp/allowed && echo touch-ok;"
            + " grep Seccomp: /proc/self/status; ls -d /tmp/*; exit 4";

    @TempDir
    Path tmp;

    Path bundle;

    @BeforeEach
    void setUp() throws Exception {
        Bundles.assumeRoot();
        bundle = Bundles.create(tmp.resolve("bundle"));
    }

    private void seccomp(String action, boolean withArgs) throws Exception {
        ObjectNode config = Bundles.config(bundle);
        ObjectNode tmpfs = config.withArray("mounts").addObject();
        tmpfs.put("destination", "/tmp").put("type", "tmpfs").put("source", "tmpfs");
        ObjectNode seccomp = Bundles.linux(config).putObject("seccomp");
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("architectures").add("SCMP_ARCH_X86_64");
        String[][] calls = {{"mkdir", "1"}, {"mkdirat", "2"}};
        for (String[] call : calls) {
            ObjectNode rule = seccomp.withArray("syscalls").addObject();
            rule.putArray("names").add(call[0]);
            rule.put("action", action);
            if (withArgs) {
                // deny only when the mode argument has 0700 set (busybox asks for 0777) and the path
                // pointer is not NULL (conditions on different arguments are ANDed)
                rule.putArray("args").addObject().put("index", Integer.parseInt(call[1])).put("value", 0700)
                        .put("valueTwo", 0700).put("op", "SCMP_CMP_MASKED_EQ");
                rule.withArray("args").addObject().put("index", 0).put("value", 0).put("op", "SCMP_CMP_NE");
            }
        }
        Bundles.write(bundle, config);
        Bundles.args(bundle, "sh", "-c", PROBE);
    }

    @Test
    void aRuleDenyingMkdirWithEpermDeniesOnlyMkdir() throws Exception {
        seccomp("SCMP_ACT_ERRNO", false);
        Bundles.Result vessel = Bundles.vessel(tmp.resolve("state"), bundle, "sc" + S);
        assertThat(vessel.output()).isEqualTo("Operation not permitted\ntouch-ok\nSeccomp:\t2\n/tmp/allowed\n");
        assertThat(vessel.status()).isEqualTo(4);
        if (Bundles.runcPresent()) {
            Bundles.Result runc = Bundles.runc(tmp.resolve("runc-state"), bundle, "sc" + S);
            assertThat(vessel.output()).isEqualTo(runc.output());
        }
    }

    @Test
    void argumentConditionsMatchLikeRunc() throws Exception {
        seccomp("SCMP_ACT_ERRNO", true);
        Bundles.Result vessel = Bundles.vessel(tmp.resolve("state"), bundle, "sca" + S);
        assertThat(vessel.output()).startsWith("Operation not permitted\n");
        if (Bundles.runcPresent()) {
            Bundles.Result runc = Bundles.runc(tmp.resolve("runc-state"), bundle, "sca" + S);
            assertThat(vessel.output()).isEqualTo(runc.output());
        }
    }

    @Test
    void anInvalidRuleIsRefusedAndLeavesNothing() throws Exception {
        seccomp("SCMP_ACT_NONSENSE", false);
        Path state = tmp.resolve("state");
        assertThatThrownBy(() -> Bundles.vessel(state, bundle, "scbad" + S))
                .hasMessageContaining("SCMP_ACT_NONSENSE");
        assertThat(new OciRuntime(state).list()).isEmpty();
        assertThat(Files.exists(state.resolve("scbad" + S))).isFalse();
    }
}
