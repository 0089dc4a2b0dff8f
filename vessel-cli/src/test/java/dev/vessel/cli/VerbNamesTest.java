package dev.vessel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

/** The by-name tables of verbs name each verb as its model does. */
class VerbNamesTest {
    @Test
    void everyGroupsCodedVerbHasAModelThatAnswersToItsName() {
        for (VerbGroup group : Vessel.verbGroups()) {
            for (String verb : group.codedVerbs()) {
                CommandSpec model = group.codedCommand(verb);
                assertThat(model).as(group.name() + ": " + verb).isNotNull();
                List<String> names = new ArrayList<>(List.of(model.aliases()));
                names.add(model.name());
                assertThat(names).as(group.name() + ": " + verb).contains(verb);
            }
            assertThat(group.codedCommand("no-such-verb")).isNull();
        }
    }

    @Test
    void theDiskVerbsTableNamesEachAsItsModelDoes() throws Exception {
        assertThat(codedTable("dev.vessel.cli.disk.DiskCommand", "SUBCOMMANDS")).hasSize(15);
    }

    @Test
    void theVmVerbsTableNamesEachAsItsModelDoes() throws Exception {
        assertThat(codedTable("dev.vessel.cli.vm.VmCommand", "CODED")).containsKeys("create", "start", "stop", "ls", "rm");
    }

    /** A group's by-name table of coded verbs, after checking that each model answers to its name. */
    private static Map<String, Supplier<CommandSpec>> codedTable(String className, String fieldName) throws Exception {
        var field = Class.forName(className).getDeclaredField(fieldName);
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, Supplier<CommandSpec>> table = (Map<String, Supplier<CommandSpec>>) field.get(null);
        for (Map.Entry<String, Supplier<CommandSpec>> entry : table.entrySet()) {
            CommandSpec model = entry.getValue().get();
            List<String> names = new ArrayList<>(List.of(model.aliases()));
            names.add(model.name());
            assertThat(names).as(className + ": " + entry.getKey()).contains(entry.getKey());
        }
        return table;
    }
}
