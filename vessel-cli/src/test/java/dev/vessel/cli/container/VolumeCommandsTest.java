package dev.vessel.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vessel volume` as Docker's: create, ls, inspect, rm and prune, on a store of its own. */
class VolumeCommandsTest {
    @TempDir
    Path root;

    private CliRun ok(String... args) {
        CliRun run = CliRun.in(root, args);
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    @Test
    void createListInspectRemoveAndPrune() {
        assertThat(ok("volume", "create", "-l", "team=db", "--label", "tier", "data").out().strip()).isEqualTo("data");
        String anonymous = ok("volume", "create").out().strip();
        assertThat(anonymous).matches("[0-9a-f]{64}");

        assertThat(ok("volume", "ls").out().lines()).first().asString().matches("DRIVER\\s+VOLUME NAME");
        assertThat(ok("volume", "list", "-q").out().lines()).containsExactlyInAnyOrder("data", anonymous);
        assertThat(ok("volume", "ls", "--format", "json").out()).contains("\"data\"");
        assertThat(ok("volume", "inspect", "data").out()).contains("\"team\"").contains("\"db\"").contains("\"tier\"");

        CliRun missing = CliRun.in(root, "volume", "rm", "nope");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("No such volume");
        ok("volume", "rm", "-f", "nope");

        assertThat(ok("volume", "prune", "-f").out().lines()).containsExactly("Deleted Volumes:", anonymous);
        assertThat(ok("volume", "ls", "-q").out().lines()).containsExactly("data");
        assertThat(ok("volume", "prune", "-a", "-f").out().lines()).containsExactly("Deleted Volumes:", "data");
        ok("volume", "create", "again");
        assertThat(ok("volume", "remove", "again").out().strip()).isEqualTo("again");
        assertThat(ok("volume", "ls", "-q").out()).isEmpty();
    }

    @Test
    void inspectAndRmNeedANameAndCreateTakesOne() {
        assertThat(CliRun.in(root, "volume", "inspect").status()).isEqualTo(125);
        assertThat(CliRun.in(root, "volume", "rm").status()).isEqualTo(125);
        assertThat(CliRun.in(root, "volume", "create", "a", "b").status()).isEqualTo(125);
    }
}
