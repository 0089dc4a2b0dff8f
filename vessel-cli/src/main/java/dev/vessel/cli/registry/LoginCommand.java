package dev.vessel.cli.registry;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.registry.AuthFile;
import dev.vessel.image.registry.Credentials;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.RegistrySettings;
import java.io.Console;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel login [-u USER] [-p PASS | --password-stdin] [--tls-verify=false] [REGISTRY]}. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in to a registry: check the credentials and store them in the credentials file.")
final class LoginCommand extends VesselCommand {
    @Mixin
    RegistryOptions registry;

    @Option(names = {"-u", "--username"}, paramLabel = "USER")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASS", description = "Password (visible to other users in ps: prefer --password-stdin).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Parameters(arity = "0..1", paramLabel = "REGISTRY", description = "Registry host[:port] (default docker.io).")
    String server;

    @Override
    public Integer call() throws Exception {
        String name = RegistryOptions.registryName(server != null ? server : ImageReference.DEFAULT_DOMAIN);
        if (password != null && passwordStdin) {
            throw new VesselException("--password and --password-stdin are mutually exclusive");
        }
        Console console = System.console();
        boolean interactive = console != null && console.isTerminal();
        if (username == null || username.isEmpty()) {
            if (!interactive || passwordStdin) {
                throw new VesselException("a user name is needed: give -u USER");
            }
            username = console.readLine("Username: ");
            if (username == null || username.isBlank()) {
                throw new VesselException("a user name is needed: give -u USER");
            }
            username = username.strip();
        }
        if (passwordStdin) {
            password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "");
        } else if (password == null) {
            if (!interactive) {
                throw new VesselException("a password is needed: give --password-stdin (or -p PASS)");
            }
            char[] typed = console.readPassword("Password: ");
            password = typed == null ? "" : new String(typed);
        }
        if (password.isEmpty()) {
            throw new VesselException("the password is empty");
        }
        Credentials credentials = new Credentials(username, password);
        try (RegistryClient client = registry.connect(name, credentials)) {
            client.verifyLogin();
        }
        AuthFile file = new AuthFile(RegistrySettings.fromEnvironment());
        file.store(name, credentials);
        out().println("Login Succeeded");
        return 0;
    }
}
