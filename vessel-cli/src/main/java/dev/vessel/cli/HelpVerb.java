package dev.vessel.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * `vessel help [COMMAND]`: the usage of the command named, or of `vessel`. What picocli's
 * HelpCommand does, with the same texts, declared in code: HelpCommand's annotations cost `vessel`
 * and `vessel --help` about 60 ms of annotation proxy classes.
 */
final class HelpVerb implements Runnable, CommandLine.IHelpCommandInitializable2 {
    private String command;
    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    static CommandSpec spec() {
        HelpVerb help = new HelpVerb();
        SpecBuilder s = SpecBuilder.command(help, "help", "");
        CommandSpec spec = s.spec();
        spec.helpCommand(true);
        spec.usageMessage().header("Display help information about the specified command.")
                .synopsisHeading("%nUsage: ")
                .description("%nWhen no COMMAND is given, the usage help for the main command is displayed.",
                        "If a COMMAND is specified, the help for that command is shown.%n");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show usage help for the help command and exit.").build());
        s.optionalPositional("0", "COMMAND", v -> help.command = v, "The COMMAND to display the usage help message for.");
        return spec;
    }

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out,
            PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine parent = self.getParent();
        if (command == null) {
            parent.usage(out, colors);
            return;
        }
        CommandLine named = parent.getSubcommands().get(command);
        if (named == null) {
            throw new CommandLine.ParameterException(parent, "Unknown subcommand '" + command + "'.", null, command);
        }
        named.usage(out, colors);
    }
}
