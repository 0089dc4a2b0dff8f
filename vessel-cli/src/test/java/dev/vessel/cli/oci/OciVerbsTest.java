package dev.vessel.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class OciVerbsTest {
    @Test
    void theTableOfAnnotatedVerbsNamesEachVerbAsItsCommandAnnotationDoes() {
        for (Class<?> verb : new LinkedHashSet<>(OciVerbs.ANNOTATED.values())) {
            Command command = verb.getAnnotation(Command.class);
            List<String> names = new ArrayList<>(List.of(command.name()));
            names.addAll(List.of(command.aliases()));
            List<String> tabled = OciVerbs.ANNOTATED.entrySet().stream().filter(e -> e.getValue() == verb)
                    .map(java.util.Map.Entry::getKey).toList();
            assertThat(tabled).as(verb.getSimpleName()).containsExactlyInAnyOrderElementsOf(names);
        }
    }

    @Test
    void everyAnnotatedVerbOfOciIsInTheTable() {
        List<Class<?>> annotated = new ArrayList<>();
        for (Class<?> nested : OciSubcommands.class.getDeclaredClasses()) {
            if (nested.isAnnotationPresent(Command.class)) {
                annotated.add(nested);
            }
        }
        assertThat(OciVerbs.ANNOTATED.values()).containsAll(annotated);
        assertThat(new LinkedHashSet<>(OciVerbs.ANNOTATED.values())).hasSameSizeAs(annotated);
    }
}
