package dev.vessel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The by-name tables of annotated verbs say what the verbs' @Command annotations say. */
class VerbNamesTest {
    @Test
    void everyGroupsTableNamesEachVerbAsItsAnnotationDoes() {
        for (VerbGroup group : Vessel.verbGroups()) {
            assertNamedAsAnnotated(group.name(), group.commandsByName());
        }
    }

    @Test
    void theDiskVerbsTableNamesEachAsItsModelDoes() throws Exception {
        Class<?> disk = Class.forName("dev.vessel.cli.disk.DiskCommand");
        var field = disk.getDeclaredField("SUBCOMMANDS");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, java.util.function.Supplier<CommandLine.Model.CommandSpec>> table =
                (Map<String, java.util.function.Supplier<CommandLine.Model.CommandSpec>>) field.get(null);
        for (Map.Entry<String, java.util.function.Supplier<CommandLine.Model.CommandSpec>> entry : table.entrySet()) {
            assertThat(entry.getValue().get().name()).isEqualTo(entry.getKey());
        }
        assertThat(table).hasSize(15);
    }

    @Test
    void theVmVerbsTableNamesEachAsItsModelDoes() throws Exception {
        Class<?> vm = Class.forName("dev.vessel.cli.vm.VmCommand");
        var field = vm.getDeclaredField("CODED");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, java.util.function.Supplier<CommandLine.Model.CommandSpec>> table =
                (Map<String, java.util.function.Supplier<CommandLine.Model.CommandSpec>>) field.get(null);
        for (Map.Entry<String, java.util.function.Supplier<CommandLine.Model.CommandSpec>> entry : table.entrySet()) {
            CommandLine.Model.CommandSpec model = entry.getValue().get();
            List<String> names = new ArrayList<>(List.of(model.aliases()));
            names.add(model.name());
            assertThat(names).as("vm " + entry.getKey()).contains(entry.getKey());
        }
        assertThat(table).containsKeys("create", "start", "stop", "ls", "rm");
    }

    private static void assertNamedAsAnnotated(String where, Map<String, Class<?>> table) {
        for (Map.Entry<String, Class<?>> entry : table.entrySet()) {
            Command command = entry.getValue().getAnnotation(Command.class);
            assertThat(command).as(where + ": " + entry.getValue().getName() + " has @Command").isNotNull();
            List<String> names = new ArrayList<>(List.of(command.aliases()));
            names.add(command.name());
            assertThat(names).as(where + ": the verb " + entry.getKey()).contains(entry.getKey());
        }
        assertThat(table.values()).as(where + ": each class once").doesNotHaveDuplicates();
    }
}
