package dev.vessel.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * The verbs one domain adds to `vessel` (images, the OCI runtime, disks, VMs, ...), so that each
 * domain registers its commands in its own file.
 */
public interface VerbGroup {
    /**
     * The word after {@code group} when it is the command line's verb (global options before it
     * skipped): `vessel --root R disk info f` gives info for disk. Null otherwise.
     */
    static String verbAfter(String group, String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--root")) {
                i++;
            } else if (!args[i].startsWith("--root=")) {
                return args[i].equals(group) ? args[i + 1] : null;
            }
        }
        return null;
    }

    /** The group's name (ContainerVerbs: container), which names its AOT cache too. */
    default String name() {
        return getClass().getSimpleName().replace("Verbs", "").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether this group's AOT cache serves the verb (it does unless the group's training leaves
     * out what the verb loads); the others start with the cache of every command.
     */
    default boolean cacheServes(String verb) {
        return true;
    }

    /** The group's verbs (every name and alias); their models are declared in code ({@link SpecBuilder}). */
    default List<String> codedVerbs() {
        return List.of();
    }

    /** A fresh model of one of {@link #codedVerbs()}, or null when the verb is not one of them. */
    default CommandLine.Model.CommandSpec codedCommand(String verb) {
        return null;
    }

    /**
     * Command lines (without --root) that bin/build runs in-process to train the AOT cache;
     * they run against an empty throw-away root, so they must not need images or containers.
     */
    default List<List<String>> trainingLines() {
        return List.of();
    }

    /**
     * Training lines that need files (an image to import, say): they are made here under
     * {@code scratch}, a throw-away directory beside the training root, and the lines name them.
     */
    default List<List<String>> trainingLines(Path scratch) throws IOException {
        return List.of();
    }

    /**
     * Work that `vessel` runs on a second thread while it parses the command line, when the verb
     * is one of this group's: class initialisation the verb will need. Null for none.
     */
    default Runnable preload(String verb) {
        return null;
    }

    /** As {@link #preload(String)}, knowing the command line (a group's preload may depend on its sub-verb). */
    default Runnable preload(String verb, String[] args) {
        return preload(verb);
    }

    /**
     * Command lines that prepare the training root for {@link #trainingLines(Path)} (importing an
     * image, say). bin/build runs them first, in a JVM that records nothing, so that the classes
     * only they need stay out of this group's AOT cache.
     */
    default List<List<String>> setupLines(Path scratch) throws IOException {
        return List.of();
    }

    /** Adjusts how `vessel` parses this group's verbs, once they are added (e.g. stop at the first positional). */
    default void configure(CommandLine vessel) {
    }

    /**
     * As {@link #configure(CommandLine)}, knowing the command line being run (so that a verb with
     * many subcommands can add only the one named, keeping start-up short).
     */
    default void configure(CommandLine vessel, String[] args) {
        configure(vessel);
    }
}
