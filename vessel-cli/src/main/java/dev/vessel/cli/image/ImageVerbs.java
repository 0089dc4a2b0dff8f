package dev.vessel.cli.image;

import dev.vessel.cli.VerbGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** The verbs for images and the image store. */
public final class ImageVerbs implements VerbGroup {
    @Override
    public List<String> codedVerbs() {
        return List.of("image", "images", "load", "save", "import", "tag", "rmi", "history", "build", "builder");
    }

    @Override
    public CommandLine.Model.CommandSpec codedCommand(String verb) {
        return switch (verb) {
            case "image" -> ImageCommand.spec();
            case "images" -> ImagesCommand.spec("images");
            case "history" -> HistoryCommand.spec();
            case "tag" -> TagCommand.spec();
            case "rmi" -> RmiCommand.spec("rmi");
            case "build" -> BuildCommand.spec();
            case "load" -> LoadCommand.spec();
            case "save" -> SaveCommand.spec();
            case "import" -> ImportCommand.spec();
            case "builder" -> BuilderCommand.spec();
            default -> null;
        };
    }

    /** `image`'s verbs and `builder prune`, each declared in code. */
    @Override
    public void configure(CommandLine vessel, String[] args) {
        CommandLine builder = vessel.getSubcommands().get("builder");
        if (builder != null) {
            builder.addSubcommand("prune", new CommandLine(BuilderCommand.Prune.spec()));
        }
        CommandLine image = vessel.getSubcommands().get("image");
        if (image != null) {
            image.addSubcommand("ls", new CommandLine(ImagesCommand.spec("ls", "list")));
            image.addSubcommand("inspect", new CommandLine(InspectCommand.spec()));
            image.addSubcommand("history", new CommandLine(HistoryCommand.spec()));
            image.addSubcommand("prune", new CommandLine(PruneCommand.spec()));
            image.addSubcommand("rm", new CommandLine(RmiCommand.spec("rm", "remove", "rmi")));
            image.addSubcommand("tag", new CommandLine(TagCommand.spec()));
            image.addSubcommand("build", new CommandLine(BuildCommand.spec()));
            image.addSubcommand("load", new CommandLine(LoadCommand.spec()));
            image.addSubcommand("save", new CommandLine(SaveCommand.spec()));
            image.addSubcommand("import", new CommandLine(ImportCommand.spec()));
        }
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("images"), List.of("images", "--format", "json"), List.of("image", "inspect", "busybox"),
                List.of("load", "-i", "/nonexistent.tar"));
    }

    /** A small build, twice (the second is all cache hits), from a context made under {@code scratch}. */
    @Override
    public List<List<String>> trainingLines(Path scratch) throws IOException {
        Path context = Files.createDirectories(scratch.resolve("build-context"));
        Files.writeString(context.resolve("file"), "training\n");
        Files.writeString(context.resolve("Containerfile"), "FROM scratch\nARG A=1\nENV B=$A\nCOPY file /\n"
                + "WORKDIR /srv\nLABEL x=y\nCMD [\"/file\"]\n");
        List<String> build = List.of("build", "-q", "-t", "train", context.toString());
        return List.of(build, build);
    }

}
