package dev.vessel.cli.registry;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.image.ImageReference;
import dev.vessel.image.registry.AuthFile;
import dev.vessel.image.registry.RegistrySettings;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vessel logout [REGISTRY]}: forgets the stored credentials. */
final class LogoutCommand extends VesselCommand {
    String server;

    /** A fresh model of `logout`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        LogoutCommand c = new LogoutCommand();
        SpecBuilder s = SpecBuilder.command(c, "logout", "Remove a registry's credentials from the credentials file.");
        s.optionalPositional("0", "REGISTRY", v -> c.server = v, "Registry host[:port] (default docker.io).");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        String name = RegistryOptions.registryName(server != null ? server : ImageReference.DEFAULT_DOMAIN);
        AuthFile file = new AuthFile(RegistrySettings.fromEnvironment());
        if (file.remove(name)) {
            out().println("Removing login credentials for " + name);
        } else {
            out().println("Not logged in to " + name);
        }
        return 0;
    }
}
