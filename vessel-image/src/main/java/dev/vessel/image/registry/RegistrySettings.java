package dev.vessel.image.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the registry client finds its host configuration: the credentials file, the per-registry
 * CA directories and the registries allowed over plain HTTP. Each setting reads a system
 * property first (so in-process tests can point elsewhere), then the environment, then the
 * default real path.
 */
public record RegistrySettings(Path authFile, List<Path> certsDirs, List<String> insecureRegistries) {
    public static final List<Path> DEFAULT_CERTS_DIRS = List.of(Path.of("/etc/containers/certs.d"), Path.of("/etc/docker/certs.d"));

    /** Settings from system properties and environment: vessel.registry.authFile / REGISTRY_AUTH_FILE, ... */
    public static RegistrySettings fromEnvironment() {
        String auth = setting("vessel.registry.authFile", "REGISTRY_AUTH_FILE");
        Path authFile;
        if (auth != null) {
            authFile = Path.of(auth);
        } else {
            String home = System.getenv("HOME");
            if (home == null || home.isEmpty()) {
                home = System.getProperty("user.home");
            }
            authFile = Path.of(home, ".docker", "config.json");
        }
        String certs = setting("vessel.registry.certsDirs", "VESSEL_REGISTRY_CERTS_DIRS");
        List<Path> certsDirs = DEFAULT_CERTS_DIRS;
        if (certs != null) {
            certsDirs = new ArrayList<>();
            for (String dir : certs.split(":")) {
                if (!dir.isEmpty()) {
                    certsDirs.add(Path.of(dir));
                }
            }
        }
        String insecure = setting("vessel.registry.insecure", "VESSEL_INSECURE_REGISTRIES");
        List<String> insecureRegistries = new ArrayList<>();
        if (insecure != null) {
            for (String host : insecure.split("[,\\s]+")) {
                if (!host.isEmpty()) {
                    insecureRegistries.add(host);
                }
            }
        }
        return new RegistrySettings(authFile, List.copyOf(certsDirs), List.copyOf(insecureRegistries));
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty()) {
            value = System.getenv(env);
        }
        return value == null || value.isEmpty() ? null : value;
    }

    public boolean isInsecure(String registry) {
        return insecureRegistries.contains(registry);
    }
}
