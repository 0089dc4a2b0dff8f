package dev.vessel.cli.registry;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.registry.Credentials;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.RegistrySettings;
import dev.vessel.image.registry.Retry;
import java.io.IOException;

/** Options every registry verb shares, and the connection they lead to. */
final class RegistryOptions {
    /** Blobs transferred at once (Docker uses 3 for pulls, 5 for pushes). */
    static final int PARALLEL = 4;

    boolean tlsVerify = true;

    /** Adds the shared options to a verb's model. */
    RegistryOptions addTo(SpecBuilder s) {
        s.optionalValue(boolean.class, "true", "true", v -> tlsVerify = v,
                "Require HTTPS with a verified certificate (default true); false also allows plain HTTP.", "--tls-verify")
                .label("BOOL");
        return this;
    }

    RegistryClient connect(String registry, Credentials credentials) throws IOException {
        return RegistryClient.connect(registry, tlsVerify, credentials, RegistrySettings.fromEnvironment(), Retry.DEFAULT);
    }

    static ImageReference parse(String text) {
        try {
            return ImageReference.parse(text);
        } catch (IllegalArgumentException e) {
            throw new VesselException(e.getMessage());
        }
    }

    /** A registry as users type it: {@code host:port}, {@code https://host/v1/}, or Docker Hub's aliases. */
    static String registryName(String text) {
        String name = text.strip();
        name = name.replaceFirst("^[a-zA-Z]+://", "");
        int slash = name.indexOf('/');
        if (slash >= 0) {
            name = name.substring(0, slash);
        }
        if (name.isEmpty()) {
            throw new VesselException("invalid registry \"" + text + "\": expected HOST[:PORT]");
        }
        if (name.equals("index.docker.io") || name.equals("registry-1.docker.io")) {
            return ImageReference.DEFAULT_DOMAIN;
        }
        return name;
    }

    static boolean onTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }
}
