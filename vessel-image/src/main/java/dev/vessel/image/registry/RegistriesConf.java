package dev.vessel.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Vessel takes from the containers registries configuration
 * ({@code /etc/containers/registries.conf}, TOML, as Podman, Buildah and Skopeo read it): the
 * registries to reach without TLS verification. Both forms are read:
 * <pre>
 * # v2
 * [[registry]]
 * location = "host:5000"        # or prefix = "*.example.com"
 * insecure = true
 * # v1
 * [registries.insecure]
 * registries = ["host:5000"]
 * </pre>
 * An entry matches a registry host[:port] exactly, or by a leading {@code *.} wildcard on the
 * host. Entries naming a namespace ({@code host/team}) are not used: Vessel sets TLS per
 * registry, and loosening it for the whole host would be wrong. Mirrors, remapping, blocking and
 * short-name search lists are not applied (short names keep Docker's expansion).
 */
public record RegistriesConf(List<String> insecure) {
    public static final RegistriesConf EMPTY = new RegistriesConf(List.of());
    public static final Path DEFAULT_PATH = Path.of("/etc/containers/registries.conf");

    public RegistriesConf {
        insecure = List.copyOf(insecure);
    }

    /** Reads a registries.conf; an absent file is an empty configuration. */
    public static RegistriesConf read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            throw new IOException("cannot parse " + file + ": " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            return EMPTY;
        }
        JsonNode v1 = root.path("registries");
        JsonNode v2 = root.path("registry");
        if (v1.isObject() && !v2.isMissingNode()) {
            throw new IOException(file + " mixes the v1 form ([registries.*]) and the v2 form ([[registry]]); use one");
        }
        List<String> insecure = new ArrayList<>();
        for (JsonNode host : v1.path("insecure").path("registries")) {
            insecure.add(hostPattern(host.asText(""), file));
        }
        if (!v2.isMissingNode() && !v2.isArray()) {
            throw new IOException(file + ": \"registry\" must be an array of tables ([[registry]])");
        }
        for (JsonNode entry : v2) {
            if (!entry.path("insecure").asBoolean(false)) {
                continue;
            }
            // The endpoint contacted is the location; a wildcard prefix has none.
            String location = entry.path("location").asText("");
            insecure.add(hostPattern(location.isEmpty() ? entry.path("prefix").asText("") : location, file));
        }
        insecure.removeIf(String::isEmpty);
        return new RegistriesConf(insecure);
    }

    /** A registry name as written in the file, without scheme; "" for namespaced entries (not used). */
    private static String hostPattern(String text, Path file) throws IOException {
        String name = text.strip().replaceFirst("^[a-zA-Z]+://", "");
        if (name.isEmpty()) {
            throw new IOException(file + ": a registry entry has neither location nor prefix");
        }
        return name.contains("/") ? "" : name.toLowerCase(Locale.ROOT);
    }

    /** Whether the registry (host[:port] as in image references) is listed as insecure. */
    public boolean isInsecure(String registry) {
        String name = registry.toLowerCase(Locale.ROOT);
        for (String pattern : insecure) {
            if (pattern.equals(name)) {
                return true;
            }
            if (pattern.startsWith("*.")) {
                String host = name.replaceFirst(":\\d+$", "");
                if (host.endsWith(pattern.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid TOML";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
