package dev.vessel.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.image.ImageReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The Docker-compatible credentials file ({@code ~/.docker/config.json} or
 * {@code $REGISTRY_AUTH_FILE}): {@code {"auths": {"host:port": {"auth": base64(user:pass)}}}},
 * or, when it names a credential helper for the registry ({@code "credHelpers": {"host:port":
 * "NAME"}}, else {@code "credsStore": "NAME"}), {@code docker-credential-NAME} keeps them and
 * the file holds no secret. Other keys in the file (proxies, ...) are kept as they are. Written
 * atomically, mode 0600.
 */
public final class AuthFile {
    /** The key Docker itself uses for Docker Hub. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;
    private final List<Path> helperPath;

    /** The file at {@code path}; credential helpers are searched on the process's PATH. */
    public AuthFile(Path path) {
        this(path, RegistrySettings.processSearchPath());
    }

    /** The settings' credentials file, with credential helpers searched on their helper path. */
    public AuthFile(RegistrySettings settings) {
        this(settings.authFile(), settings.helperPath());
    }

    private AuthFile(Path path, List<Path> helperPath) {
        this.path = path;
        this.helperPath = helperPath;
    }

    public Path path() {
        return path;
    }

    /**
     * The stored credentials for a registry (host[:port] as in image references), if any: from
     * its credential helper when the file names one, else (or when the helper has none) from
     * {@code auths}.
     */
    public Optional<Credentials> find(String registry) throws IOException {
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helperFor(root, registry);
        if (helper.isPresent()) {
            Optional<Credentials> kept = helper.get().get(writeKey(registry));
            if (kept.isPresent()) {
                return kept;
            }
        }
        JsonNode auths = root.path("auths");
        for (String key : keysFor(registry)) {
            JsonNode entry = auths.get(key);
            if (entry == null) {
                continue;
            }
            String auth = entry.path("auth").asText("");
            if (!auth.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IOException("invalid \"auth\" entry for " + key + " in " + path + ": not base64");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new IOException("invalid \"auth\" entry for " + key + " in " + path + ": expected user:password");
                }
                return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
            }
            String user = entry.path("username").asText("");
            if (!user.isEmpty()) {
                return Optional.of(new Credentials(user, entry.path("password").asText("")));
            }
        }
        return Optional.empty();
    }

    /**
     * Stores credentials for a registry, replacing any earlier entry for it: in its credential
     * helper when the file names one (and then no copy stays in {@code auths}), else in the file.
     */
    public void store(String registry, Credentials credentials) throws IOException {
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helperFor(root, registry);
        if (helper.isPresent()) {
            helper.get().store(writeKey(registry), credentials);
            if (root.get("auths") instanceof ObjectNode auths && removeKeys(auths, registry)) {
                write(root);
            }
            return;
        }
        ObjectNode auths = root.has("auths") && root.get("auths").isObject() ? (ObjectNode) root.get("auths") : root.putObject("auths");
        removeKeys(auths, registry);
        auths.putObject(writeKey(registry)).put("auth", credentials.basicToken());
        write(root);
    }

    /** Removes a registry's credentials from its credential helper and the file; false when there were none. */
    public boolean remove(String registry) throws IOException {
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helperFor(root, registry);
        boolean erased = helper.isPresent() && helper.get().erase(writeKey(registry));
        if (!(root.get("auths") instanceof ObjectNode auths) || !removeKeys(auths, registry)) {
            return erased;
        }
        write(root);
        return true;
    }

    /** The helper for a registry: its {@code credHelpers} entry, else the {@code credsStore}, if any. */
    private Optional<CredentialHelper> helperFor(ObjectNode root, String registry) {
        JsonNode perRegistry = root.path("credHelpers");
        for (String key : keysFor(registry)) {
            String name = perRegistry.path(key).asText("");
            if (!name.isEmpty()) {
                return Optional.of(new CredentialHelper(name, helperPath));
            }
        }
        String store = root.path("credsStore").asText("");
        return store.isEmpty() ? Optional.empty() : Optional.of(new CredentialHelper(store, helperPath));
    }

    private static boolean removeKeys(ObjectNode auths, String registry) {
        boolean removed = false;
        List<String> keys = keysFor(registry);
        for (Iterator<String> it = auths.fieldNames(); it.hasNext();) {
            if (keys.contains(it.next())) {
                it.remove();
                removed = true;
            }
        }
        return removed;
    }

    /** Every key under which Docker, Podman or older tools may have stored a registry's entry. */
    static List<String> keysFor(String registry) {
        List<String> keys = new ArrayList<>(List.of(registry, "https://" + registry, "http://" + registry,
                "https://" + registry + "/v1/", "https://" + registry + "/v2/"));
        if (registry.equals(ImageReference.DEFAULT_DOMAIN)) {
            keys.addAll(List.of(DOCKER_HUB_KEY, "index.docker.io", "registry-1.docker.io", "https://index.docker.io"));
        }
        return keys;
    }

    private static String writeKey(String registry) {
        return registry.equals(ImageReference.DEFAULT_DOMAIN) ? DOCKER_HUB_KEY : registry;
    }

    private ObjectNode read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return JSON.createObjectNode();
        }
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // fall through to the one-line error below
        }
        throw new IOException("credentials file " + path + " is not a JSON object; fix or remove it");
    }

    private void write(ObjectNode root) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path temp = dir.resolve("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
        byte[] bytes = (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            try (FileChannel channel = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
