package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `vessel image SUBCOMMAND`: the image verbs grouped as Docker's management command. Its model is
 * declared in code; {@link ImageVerbs#configure} adds the verbs.
 */
public final class ImageCommand implements Runnable {
    private CommandSpec spec;

    private ImageCommand() {
    }

    static CommandSpec spec() {
        ImageCommand command = new ImageCommand();
        SpecBuilder s = SpecBuilder.command(command, "image", "Manage images.");
        s.standardHelp();
        command.spec = s.spec();
        return command.spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
