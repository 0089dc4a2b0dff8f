package dev.vessel.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

/** The table of oci's other verbs names each as its model does, and leaves none out. */
class OciVerbsTest {
    @Test
    void theTableNamesEachVerbAsItsModelDoes() {
        for (Map.Entry<String, java.util.function.Function<OciCommand, CommandSpec>> entry : OciVerbs.OTHERS.entrySet()) {
            CommandSpec model = entry.getValue().apply(null);
            List<String> names = new ArrayList<>(List.of(model.name()));
            names.addAll(List.of(model.aliases()));
            assertThat(names).as(entry.getKey()).contains(entry.getKey());
        }
    }

    @Test
    void everyVerbOfOciSubcommandsIsInTheTable() {
        Set<Class<?>> tabled = new HashSet<>();
        OciVerbs.OTHERS.values().forEach(spec -> tabled.add(spec.apply(null).userObject().getClass()));
        List<Class<?>> verbs = new ArrayList<>();
        for (Class<?> nested : OciSubcommands.class.getDeclaredClasses()) {
            if (OciSubcommands.OciVerb.class.isAssignableFrom(nested) && !Modifier.isAbstract(nested.getModifiers())) {
                verbs.add(nested);
            }
        }
        assertThat(verbs).isNotEmpty();
        assertThat(tabled).containsExactlyInAnyOrderElementsOf(verbs);
    }
}
