package dev.vessel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * Hidden: runs typical command lines in-process against the (empty, throw-away) --root so that
 * bin/build can record the classes they load into the JDK's AOT cache. Add a line here when a
 * new command's start-up matters.
 */
@Command(name = "__train", hidden = true)
final class TrainingCommand extends VesselCommand {
    private static final List<List<String>> COMMAND_LINES = List.of(
            List.of("--help"),
            List.of("--version"),
            List.of("--no-such-flag"));

    @Override
    public Integer call() throws IOException {
        String root = root().toString();
        List<List<String>> lines = new ArrayList<>(COMMAND_LINES);
        for (VerbGroup group : Vessel.verbGroups()) {
            lines.addAll(group.trainingLines());
        }
        for (VerbGroup group : Vessel.verbGroups()) {
            lines.addAll(group.trainingLines(Files.createDirectories(root().resolve("training-files"))));
        }
        for (List<String> line : lines) {
            String[] args = new String[line.size() + 2];
            args[0] = "--root";
            args[1] = root;
            for (int i = 0; i < line.size(); i++) {
                args[i + 2] = line.get(i);
            }
            // in line, so that the classes the preloads load are in the cache too
            for (Runnable preload : Vessel.preloads(args)) {
                preload.run();
            }
            Vessel.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        }
        return 0;
    }
}
