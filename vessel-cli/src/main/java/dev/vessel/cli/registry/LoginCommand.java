package dev.vessel.cli.registry;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.registry.AuthFile;
import dev.vessel.image.registry.Credentials;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.RegistrySettings;
import java.io.Console;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vessel login [-u USER] [-p PASS | --password-stdin] [--tls-verify=false] [REGISTRY]}. */
final class LoginCommand extends VesselCommand {
    RegistryOptions registry;

    String username;

    String password;

    boolean passwordStdin;

    String server;

    /** A fresh model of `login`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        LoginCommand c = new LoginCommand();
        SpecBuilder s = SpecBuilder.command(c, "login", "Log in to a registry: check the credentials and store them in the credentials file.");
        c.registry = new RegistryOptions().addTo(s);
        s.option(String.class, v -> c.username = v, "", "-u", "--username").label("USER");
        s.option(String.class, v -> c.password = v, "Password (visible to other users in ps: prefer --password-stdin).",
                "-p", "--password").label("PASS");
        s.flag(v -> c.passwordStdin = v, "Read the password from standard input.", "--password-stdin");
        s.optionalPositional("0", "REGISTRY", v -> c.server = v, "Registry host[:port] (default docker.io).");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

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
