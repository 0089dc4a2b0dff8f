package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.image.Image;
import picocli.CommandLine.Model.CommandSpec;

/** `diff` and `commit`: a container's file system changes, listed or turned into an image. */
final class DiffCommitCommands {
    private DiffCommitCommands() {
    }

    static final class Diff extends ContainerCommand {
        String container;

        /** A fresh model of `diff`, declared in code (see {@link SpecBuilder}). */
        static CommandSpec spec() {
            Diff c = new Diff();
            SpecBuilder s = SpecBuilder.command(c, "diff", "Inspect changes to files or directories on a container's filesystem");
            s.positional("0", "CONTAINER", v -> c.container = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int execute() throws Exception {
            for (var change : containers().diff(containers().find(container))) {
                out().println(change.kind() + " " + change.path());
            }
            return 0;
        }
    }

    static final class Commit extends ContainerCommand {
        String author;
        String message;
        boolean pause;
        String container;
        String reference;

        /** A fresh model of `commit`, declared in code (see {@link SpecBuilder}). */
        static CommandSpec spec() {
            Commit c = new Commit();
            SpecBuilder s = SpecBuilder.command(c, "commit", "Create a new image from a container's changes");
            s.option(String.class, v -> c.author = v, "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")", "-a", "--author");
            s.option(String.class, v -> c.message = v, "Commit message", "-m", "--message");
            s.negatableFlag(v -> c.pause = v, "Pause container during commit (default true)", "-p", "--pause");
            s.positional("0", "CONTAINER", v -> c.container = v, "");
            s.optionalPositional("1", "REPOSITORY[:TAG]", v -> c.reference = v, "");
            c.spec = s.spec();
            return c.spec;
        }

        @Override
        protected int execute() throws Exception {
            Image image = containers().commit(containers().find(container), reference, author, message);
            out().println(image.id());
            return 0;
        }
    }
}
