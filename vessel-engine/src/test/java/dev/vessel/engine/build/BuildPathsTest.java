package dev.vessel.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path rules of COPY and ADD: Go's filepath.Match globs, context confinement, destinations. */
class BuildPathsTest {
    @TempDir
    Path context;

    @Test
    void globsMatchOneSegmentAtATimeAsGoDoes() throws Exception {
        for (String file : List.of("a.txt", "b.txt", "c.md", "dir/x.txt", "dir/sub/y.txt", "[lit]")) {
            Files.createDirectories(context.resolve(file).getParent());
            Files.writeString(context.resolve(file), file);
        }
        assertThat(SourceGlob.expand(context, "*.txt", p -> false)).containsExactly("a.txt", "b.txt");
        assertThat(SourceGlob.expand(context, "*/*.txt", p -> false)).containsExactly("dir/x.txt");
        assertThat(SourceGlob.expand(context, "?.md", p -> false)).containsExactly("c.md");
        assertThat(SourceGlob.expand(context, "[ab].txt", p -> false)).containsExactly("a.txt", "b.txt");
        assertThat(SourceGlob.expand(context, "[!a].txt", p -> false)).containsExactly("b.txt");
        assertThat(SourceGlob.expand(context, "\\[lit]", p -> false)).containsExactly("[lit]");
        assertThat(SourceGlob.expand(context, "*.txt", p -> p.equals("a.txt"))).containsExactly("b.txt");
    }

    @Test
    void contextSourcesStayInsideTheContextAndHonourDockerignore() throws Exception {
        Files.writeString(context.resolve("kept"), "k");
        Files.writeString(context.resolve("secret.key"), "s");
        Files.writeString(context.resolve(".dockerignore"), "*.key\n");
        BuildContext build = BuildContext.of(context);
        assertThat(build.sources("./kept", "COPY")).containsExactly("kept");
        assertThat(build.sources("sub/../kept", "COPY")).containsExactly("kept");
        assertThatThrownBy(() -> build.sources("../etc/passwd", "COPY")).hasMessageContaining("outside the build context");
        assertThatThrownBy(() -> build.sources("secret.key", "COPY")).hasMessageContaining(".dockerignore");
        assertThatThrownBy(() -> build.sources("*.nothing", "ADD")).hasMessageStartingWith("ADD source '*.nothing'");
    }

    @Test
    void digestChangesWithContentModeAndNames() throws Exception {
        Files.writeString(context.resolve("f"), "one");
        BuildContext build = BuildContext.of(context);
        String first = build.digest(List.of("f"));
        assertThat(build.digest(List.of("f"))).isEqualTo(first);
        Files.writeString(context.resolve("f"), "two");
        String second = build.digest(List.of("f"));
        assertThat(second).isNotEqualTo(first);
        Files.setPosixFilePermissions(context.resolve("f"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThat(build.digest(List.of("f"))).isNotEqualTo(second);
    }

    @Test
    void destinationsAreCleanAbsolutePaths() {
        assertThat(ImageBuilder.absolute("/app/./sub/../x")).isEqualTo("/app/x");
        assertThat(ImageBuilder.absolute("/../../etc")).isEqualTo("/etc");
        assertThat(ImageBuilder.absolute("/")).isEqualTo("/");
    }

    @Test
    void healthcheckDurationsAreGoDurations() {
        assertThat(Durations.nanos("30s")).isEqualTo(30_000_000_000L);
        assertThat(Durations.nanos("1m30s")).isEqualTo(90_000_000_000L);
        assertThat(Durations.nanos("500ms")).isEqualTo(500_000_000L);
        assertThat(Durations.nanos("1.5h")).isEqualTo(5_400_000_000_000L);
        assertThatThrownBy(() -> Durations.nanos("30")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> Durations.nanos("")).hasMessageContaining("invalid duration");
    }
}
