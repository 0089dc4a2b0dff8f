package dev.vessel.cli.registry;

import dev.vessel.cli.VesselCommand;
import dev.vessel.image.ImageReference;
import dev.vessel.image.registry.AuthFile;
import dev.vessel.image.registry.RegistrySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vessel logout [REGISTRY]}: forgets the stored credentials. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Remove a registry's credentials from the credentials file.")
final class LogoutCommand extends VesselCommand {
    @Parameters(arity = "0..1", paramLabel = "REGISTRY", description = "Registry host[:port] (default docker.io).")
    String server;

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
