package dev.vessel.cli.registry;

import dev.vessel.cli.VerbGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The verbs that move images to and from registries: pull, push, login, logout. */
public final class RegistryVerbs implements VerbGroup {
    @Override
    public List<String> codedVerbs() {
        return List.of("pull", "push", "login", "logout");
    }

    @Override
    public CommandLine.Model.CommandSpec codedCommand(String verb) {
        return switch (verb) {
            case "pull" -> PullCommand.spec();
            case "push" -> PushCommand.spec();
            case "login" -> LoginCommand.spec();
            case "logout" -> LogoutCommand.spec();
            default -> null;
        };
    }

    @Override
    public List<List<String>> trainingLines() {
        // Port 1 on loopback has no listener: these fail at once, after loading the HTTP client,
        // the TLS stack and the store, which is what a real pull or push loads first.
        List<List<String>> lines = new ArrayList<>(List.of(List.of("pull", "--help"), List.of("push", "--help"), List.of("login", "--help"),
                List.of("pull", "-q", "--tls-verify=false", "127.0.0.1:1/vessel/training:1"),
                List.of("pull", "-q", "127.0.0.1:1/vessel/training:1"),
                List.of("push", "-q", "--tls-verify=false", "vessel-training-absent:1", "127.0.0.1:1/vessel/training:1")));
        // A real pull and push of a tiny image: what runs after connecting (about half the
        // classes a pull loads) is then in the AOT cache too.
        try {
            String image = TrainingRegistry.start().host() + "/" + TrainingRegistry.REPOSITORY + ":1";
            lines.add(List.of("pull", "-q", "--tls-verify=false", image));
            lines.add(List.of("push", "-q", "--tls-verify=false", image, image.replace("/training:", "/training-copy:")));
        } catch (IOException e) {
            // no loopback listener here: train without them
        }
        return lines;
    }
}
