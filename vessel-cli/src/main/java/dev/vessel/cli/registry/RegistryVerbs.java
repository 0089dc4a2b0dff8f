package dev.vessel.cli.registry;

import dev.vessel.cli.VerbGroup;
import java.util.List;

/** The verbs that move images to and from registries: pull, push, login, logout. */
public final class RegistryVerbs implements VerbGroup {
    @Override
    public List<Object> commands() {
        return List.of(new PullCommand(), new PushCommand(), new LoginCommand(), new LogoutCommand());
    }

    @Override
    public List<List<String>> trainingLines() {
        return List.of(List.of("pull", "--help"), List.of("push", "--help"), List.of("login", "--help"));
    }
}
