package dev.vessel.cli.container;

import dev.vessel.image.Image;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `diff` and `commit`: a container's file system changes, listed or turned into an image. */
final class DiffCommitCommands {
    private DiffCommitCommands() {
    }

    @Command(name = "diff", description = "Inspect changes to files or directories on a container's filesystem")
    static final class Diff extends ContainerCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String container;

        @Override
        protected int execute() throws Exception {
            for (var change : containers().diff(containers().find(container))) {
                out().println(change.kind() + " " + change.path());
            }
            return 0;
        }
    }

    @Command(name = "commit", description = "Create a new image from a container's changes")
    static final class Commit extends ContainerCommand {
        @Option(names = {"-a", "--author"}, description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
        String author;
        @Option(names = {"-m", "--message"}, description = "Commit message")
        String message;
        @Option(names = {"-p", "--pause"}, negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Pause container during commit (default true)")
        boolean pause;
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String container;
        @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
        String reference;

        @Override
        protected int execute() throws Exception {
            Image image = containers().commit(containers().find(container), reference, author, message);
            out().println(image.id());
            return 0;
        }
    }
}
