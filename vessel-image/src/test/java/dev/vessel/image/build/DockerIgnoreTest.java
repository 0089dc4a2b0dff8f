package dev.vessel.image.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerIgnoreTest {
    @Test
    void followsDockersPatternRules() {
        DockerIgnore ignore = DockerIgnore.parse("""
                # comment
                *.log
                /build
                **/tmp
                docs/*.md
                !docs/README.md
                secret?.txt
                data/[a-c].bin
                """);
        assertThat(ignore.excludes("a.log")).isTrue();
        assertThat(ignore.excludes("sub/a.log")).isFalse();
        assertThat(ignore.excludes("build")).isTrue();
        assertThat(ignore.excludes("build/out/x.o")).isTrue();
        assertThat(ignore.excludes("tmp")).isTrue();
        assertThat(ignore.excludes("deep/er/tmp/file")).isTrue();
        assertThat(ignore.excludes("docs/guide.md")).isTrue();
        assertThat(ignore.excludes("docs/README.md")).isFalse();
        assertThat(ignore.excludes("docs/sub/guide.md")).isFalse();
        assertThat(ignore.excludes("secret1.txt")).isTrue();
        assertThat(ignore.excludes("secret12.txt")).isFalse();
        assertThat(ignore.excludes("data/b.bin")).isTrue();
        assertThat(ignore.excludes("data/d.bin")).isFalse();
        assertThat(ignore.excludes("src/Main.java")).isFalse();
        assertThat(ignore.hasExceptions()).isTrue();
    }

    @Test
    void laterRulesWin() {
        DockerIgnore ignore = DockerIgnore.parse("*\n!keep\n!keep-dir/**\nkeep-dir/not-this\n");
        assertThat(ignore.excludes("anything")).isTrue();
        assertThat(ignore.excludes("keep")).isFalse();
        assertThat(ignore.excludes("keep-dir/a/b")).isFalse();
        assertThat(ignore.excludes("keep-dir/not-this")).isTrue();
    }

    @Test
    void doubleStarMatchesAnyDepthIncludingNone() {
        DockerIgnore ignore = DockerIgnore.parse("**/*.class\n");
        assertThat(ignore.excludes("A.class")).isTrue();
        assertThat(ignore.excludes("a/b/c/A.class")).isTrue();
        assertThat(ignore.excludes("a/b/A.java")).isFalse();
        assertThat(DockerIgnore.none().excludes("x")).isFalse();
    }
}
