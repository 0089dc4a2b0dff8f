package dev.vessel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hidden: runs typical command lines in-process against the (empty, throw-away) --root so that
 * bin/build can record the classes they load into the JDK's AOT cache. Add a line here when a
 * new command's start-up matters. With --group, only that verb group's lines run (bin/build makes
 * one cache per group, since a JVM loads its whole cache at start); --verbs prints each group's
 * verbs instead, as "GROUP VERB" lines, for the launcher to choose a cache.
 */
@Command(name = "__train", hidden = true)
final class TrainingCommand extends VesselCommand {
    @Option(names = "--group", paramLabel = "NAME", description = "Train only this verb group's lines.")
    String group;

    @Option(names = "--verbs", description = "Print the verb groups' verbs and exit.")
    boolean verbs;

    @Option(names = "--setup", description = "Run the groups' setup lines (see VerbGroup.setupLines) instead.")
    boolean setup;

    private static final List<List<String>> COMMAND_LINES = List.of(
            List.of("--help"),
            List.of("--version"),
            List.of("--no-such-flag"));

    @Override
    public Integer call() throws IOException {
        if (verbs) {
            for (VerbGroup each : Vessel.verbGroups()) {
                for (String verb : Vessel.verbs(each)) {
                    if (each.cacheServes(verb)) {
                        out().println(each.name() + " " + verb);
                    }
                }
            }
            return 0;
        }
        String root = root().toString();
        // help and a bad flag load every verb's classes: they belong in the cache of everything only
        List<List<String>> lines = new ArrayList<>(group == null ? COMMAND_LINES : List.of());
        List<VerbGroup> groups = Vessel.verbGroups().stream()
                .filter(each -> group == null || each.name().equals(group)).toList();
        if (groups.isEmpty()) {
            throw new VesselException("no verb group " + group);
        }
        Path scratch = Files.createDirectories(root().resolve("training-files"));
        if (setup) {
            lines.clear();
            for (VerbGroup each : groups) {
                lines.addAll(each.setupLines(scratch));
            }
        } else {
            for (VerbGroup each : groups) {
                lines.addAll(each.trainingLines());
            }
            for (VerbGroup each : groups) {
                if (group == null) {
                    lines.addAll(each.setupLines(scratch));
                }
                lines.addAll(each.trainingLines(scratch));
            }
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
