package dev.vessel.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerfileParserTest {
    @Test
    void readsInstructionsWithLineNumbersFlagsAndForms() {
        Containerfile file = ContainerfileParser.parse("""
                # a comment
                ARG BASE=busybox
                FROM ${BASE} AS build

                run echo one \\
                  # a comment inside a continuation
                  two
                COPY --from=build --chown=1:2 /a /b
                CMD ["sh", "-c", "echo hi"]
                ENTRYPOINT ["not json
                """);
        List<Instruction> steps = file.instructions();
        assertThat(steps).extracting(Instruction::keyword)
                .containsExactly("ARG", "FROM", "RUN", "COPY", "CMD", "ENTRYPOINT");
        assertThat(steps).extracting(Instruction::line).containsExactly(2, 3, 5, 8, 9, 10);
        assertThat(steps.get(2).arguments()).isEqualTo("echo one   two");
        assertThat(steps.get(3).flags()).containsExactly(
                org.assertj.core.api.Assertions.entry("from", "build"),
                org.assertj.core.api.Assertions.entry("chown", "1:2"));
        assertThat(steps.get(3).arguments()).isEqualTo("/a /b");
        assertThat(steps.get(4).execForm()).containsExactly("sh", "-c", "echo hi");
        assertThat(steps.get(5).isExecForm()).isFalse();
    }

    @Test
    void escapeDirectiveChangesTheContinuationCharacter() {
        Containerfile file = ContainerfileParser.parse("""
                # escape=`
                FROM scratch
                COPY a `
                  b\\c
                """);
        assertThat(file.escape()).isEqualTo('`');
        assertThat(file.instructions().get(1).arguments()).isEqualTo("a   b\\c");
    }

    @Test
    void directivesStopAtTheFirstOtherLine() {
        Containerfile file = ContainerfileParser.parse("FROM scratch\n# escape=`\nRUN a \\\n b\n");
        assertThat(file.escape()).isEqualTo('\\');
        assertThat(file.instructions().get(1).arguments()).isEqualTo("a  b");
    }

    @Test
    void readsHeredocsForRunAndCopy() {
        Containerfile file = ContainerfileParser.parse("""
                FROM scratch
                RUN <<EOF
                echo one
                echo two
                EOF
                COPY <<-"END" /etc/greeting
                \thello $NAME
                \tEND
                LABEL a=b
                """);
        Instruction run = file.instructions().get(1);
        assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", "echo one\necho two\n", true));
        Instruction copy = file.instructions().get(2);
        assertThat(copy.heredocs()).containsExactly(new Heredoc("END", "hello $NAME\n", false));
        assertThat(copy.arguments()).isEqualTo("<<-\"END\" /etc/greeting");
        assertThat(file.instructions().get(3).line()).isEqualTo(9);
    }

    @Test
    void unknownInstructionNamesItsLine() {
        assertThatThrownBy(() -> ContainerfileParser.parse("FROM scratch\n\nFROBNICATE x\n"))
                .isInstanceOf(ContainerfileException.class)
                .hasMessage("line 3: unknown instruction: FROBNICATE");
    }

    @Test
    void unclosedHeredocIsAnError() {
        assertThatThrownBy(() -> ContainerfileParser.parse("FROM scratch\nRUN <<EOF\necho\n"))
                .hasMessage("line 2: here-document 'EOF' is not closed");
    }

    @Test
    void badEscapeDirectiveIsAnError() {
        assertThatThrownBy(() -> ContainerfileParser.parse("# escape=x\nFROM scratch\n"))
                .hasMessageContaining("line 1: invalid escape character 'x'");
    }
}
