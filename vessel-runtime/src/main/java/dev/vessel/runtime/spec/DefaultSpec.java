package dev.vessel.runtime.spec;

import java.io.IOException;
import java.io.InputStream;

/** The config.json `spec` writes: the runtime-spec's usual defaults (a shell, read-only root, five namespaces). */
public final class DefaultSpec {
    private DefaultSpec() {
    }

    public static byte[] json() throws IOException {
        try (InputStream in = DefaultSpec.class.getResourceAsStream("default-config.json")) {
            return in.readAllBytes();
        }
    }
}
