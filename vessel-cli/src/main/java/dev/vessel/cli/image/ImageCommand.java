package dev.vessel.cli.image;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * `vessel image SUBCOMMAND`: the image verbs grouped as Docker's management command (ls, rm, tag,
 * build, load, save and import, declared in code, are added by {@link ImageVerbs#configure}).
 */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage images.",
        subcommands = {InspectCommand.class, HistoryCommand.class, PruneCommand.class})
public final class ImageCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
