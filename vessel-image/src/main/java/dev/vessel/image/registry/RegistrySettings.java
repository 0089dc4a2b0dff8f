package dev.vessel.image.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the registry client finds its host configuration: the credentials file, the per-registry
 * certificate directories, the registries allowed without TLS verification (listed here, and in
 * the containers registries.conf: null for none) and the directories searched for
 * {@code docker-credential-*} helpers. Each setting reads a system property first (so
 * in-process tests can point elsewhere), then the environment, then the default real path.
 */
public record RegistrySettings(Path authFile, List<Path> certsDirs, List<String> insecureRegistries, Path registriesConf,
                               List<Path> helperPath) {
    public static final List<Path> DEFAULT_CERTS_DIRS = List.of(Path.of("/etc/containers/certs.d"), Path.of("/etc/docker/certs.d"));

    public RegistrySettings {
        certsDirs = List.copyOf(certsDirs);
        insecureRegistries = List.copyOf(insecureRegistries);
        helperPath = List.copyOf(helperPath);
    }

    /** Settings without a registries.conf, finding credential helpers on the process's PATH. */
    public RegistrySettings(Path authFile, List<Path> certsDirs, List<String> insecureRegistries) {
        this(authFile, certsDirs, insecureRegistries, null, processSearchPath());
    }

    /** The directories of the process's PATH. */
    static List<Path> processSearchPath() {
        return searchPath(System.getenv("PATH"));
    }

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
        String conf = setting("vessel.registry.registriesConf", "CONTAINERS_REGISTRIES_CONF");
        Path registriesConf = conf != null ? Path.of(conf) : RegistriesConf.DEFAULT_PATH;
        String path = setting("vessel.registry.helperPath", "PATH");
        return new RegistrySettings(authFile, certsDirs, insecureRegistries, registriesConf, searchPath(path));
    }

    private static List<Path> searchPath(String path) {
        List<Path> dirs = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        return dirs;
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty()) {
            value = System.getenv(env);
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /** Whether the registry is listed as insecure here or in registries.conf (read only when asked). */
    public boolean isInsecure(String registry) throws IOException {
        return insecureRegistries.contains(registry) || (registriesConf != null && RegistriesConf.read(registriesConf).isInsecure(registry));
    }
}
