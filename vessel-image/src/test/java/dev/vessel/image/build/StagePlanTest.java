package dev.vessel.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class StagePlanTest {
    private static final String MULTI_STAGE = """
            ARG BASE=busybox
            FROM ${BASE} AS tools
            RUN echo tools
            FROM busybox AS unused
            RUN echo never
            FROM tools AS build
            RUN echo build
            FROM scratch
            COPY --from=build /out /out
            COPY --from=busybox:latest /bin/busybox /busybox
            """;

    @Test
    void buildsOnlyTheStagesTheTargetNeeds() {
        StagePlan plan = StagePlan.of(ContainerfileParser.parse(MULTI_STAGE));
        assertThat(plan.globalArgs()).hasSize(1);
        assertThat(plan.stages()).extracting(Stage::label).containsExactly("tools", "unused", "build", "3");
        var needed = plan.stagesFor(plan.target(null), UnaryOperator.identity());
        assertThat(needed).extracting(Stage::label).containsExactly("tools", "build", "3");
        assertThat(plan.stagesFor(plan.target("UNUSED"), UnaryOperator.identity()))
                .extracting(Stage::label).containsExactly("unused");
    }

    @Test
    void stagesAreFoundByNameOrIndex() {
        StagePlan plan = StagePlan.of(ContainerfileParser.parse(MULTI_STAGE));
        assertThat(plan.find("0").name()).isEqualTo("tools");
        assertThat(plan.find("Build").index()).isEqualTo(2);
        assertThat(plan.find("busybox:latest")).isNull();
    }

    @Test
    void mistakesNameTheirLine() {
        assertThatThrownBy(() -> StagePlan.of(ContainerfileParser.parse("RUN echo\nFROM scratch\n")))
                .hasMessage("line 1: RUN before the first FROM (only ARG may come before it)");
        assertThatThrownBy(() -> StagePlan.of(ContainerfileParser.parse("ARG X=1\n")))
                .hasMessage("the Containerfile has no FROM instruction");
        assertThatThrownBy(() -> StagePlan.of(ContainerfileParser.parse("FROM a AS x\nFROM b AS X\n")))
                .hasMessage("line 2: duplicate stage name 'x'");
        StagePlan plan = StagePlan.of(ContainerfileParser.parse("FROM scratch\n"));
        assertThatThrownBy(() -> plan.target("nope")).hasMessage("target stage 'nope' could not be found");
        StagePlan forward = StagePlan.of(ContainerfileParser.parse("FROM a AS x\nCOPY --from=y /a /b\nFROM b AS y\n"));
        assertThatThrownBy(() -> forward.stagesFor(forward.target("x"), UnaryOperator.identity()))
                .hasMessage("line 2: COPY --from=y names a stage that is not defined before this one");
    }
}
