package dev.vessel.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.image.ImageReference;
import dev.vessel.image.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import dev.vessel.image.registry.HttpTransport.Reply;
import dev.vessel.image.registry.HttpTransport.Request;
import javax.net.ssl.SSLException;

/**
 * A client for one registry over the OCI distribution / Docker registry v2 HTTP API: endpoint
 * choice (HTTPS, or plain HTTP when TLS verification is off), authentication (anonymous, Basic,
 * Bearer tokens cached per scope), retries with backoff, and the manifest and blob calls.
 */
public final class RegistryClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private static final int MAX_MANIFEST = 4 << 20;
    private static final int MAX_REDIRECTS = 5;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** What we accept when fetching a manifest by tag: indexes (to pick a platform) and images. */
    public static final String ACCEPT_ANY = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
    /** What we accept once a platform's manifest is chosen. */
    public static final String ACCEPT_IMAGE = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);

    /** A manifest as fetched: its exact bytes, media type and digest. */
    public record Manifest(byte[] bytes, String mediaType, String digest) {
    }

    /** How a blob reached the registry in {@link #uploadBlob}. */
    public enum Upload { EXISTED, MOUNTED, UPLOADED }

    private final String registry;
    private final HttpTransport http;
    private final URI base;
    private final Credentials credentials;
    private final Retry retry;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> tokenLocks = new ConcurrentHashMap<>();
    private volatile Challenge challenge;
    private volatile long chunkSize;

    private RegistryClient(String registry, HttpTransport http, URI base, Credentials credentials, Retry retry) {
        this.registry = registry;
        this.http = http;
        this.base = base;
        this.credentials = credentials;
        this.retry = retry;
    }

    /**
     * Connects to a registry (host[:port] as in image references) and learns how it wants to be
     * authenticated. With {@code tlsVerify} false (or the registry listed as insecure), HTTPS
     * is tried without verification and plain HTTP is used when the server does not speak TLS.
     * {@code credentials} may be null (anonymous, or whatever the credentials file holds).
     */
    public static RegistryClient connect(String registry, boolean tlsVerify, Credentials credentials,
                                         RegistrySettings settings, Retry retry) throws IOException {
        if (credentials == null) {
            credentials = new AuthFile(settings).find(registry).orElse(null);
        }
        boolean verify = tlsVerify && !settings.isInsecure(registry);
        String host = registry.equals(ImageReference.DEFAULT_DOMAIN) ? "registry-1.docker.io" : registry;
        // TLS verification off: plain HTTP when the server speaks it, else HTTPS without checks.
        // Asking in plain HTTP first spares a TLS handshake (and loading the TLS stack) for
        // the usual local registry; the server cannot mistake the probe for anything.
        boolean plain = !verify && PlainHttpProbe.speaksPlainHttp(host, PROBE_TIMEOUT);
        HttpTransport http = new HttpTransport(plain ? null : TlsTrust.context(registry, verify, settings.certsDirs()), verify);
        RegistryClient client = new RegistryClient(registry, http, URI.create((plain ? "http://" : "https://") + host), credentials, retry);
        try {
            client.ping();
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e;
        }
        return client;
    }

    public String registry() {
        return registry;
    }

    /** The base URL in use, e.g. {@code https://host:5000}. */
    public URI baseUri() {
        return base;
    }

    /** Upload blobs larger than this in PATCH chunks of this size (0: one monolithic PUT). */
    public void chunkSize(long bytes) {
        this.chunkSize = bytes;
    }

    /** GET /v2/: checks the registry speaks the v2 API and records its authentication challenge. */
    private void ping() throws IOException {
        Reply response = sendBytes(() -> get(base.resolve("/v2/")), null, false);
        int status = response.status();
        if (status == 401) {
            challenge = challengeOf(response).orElseThrow(() -> new RegistryException(RegistryException.Kind.PROTOCOL,
                    registry + " answered 401 without a WWW-Authenticate challenge"));
        } else if (status / 100 != 2) {
            throw failure(status, body(response), "the v2 API at " + base);
        }
    }

    /**
     * Checks the credentials against the registry (as {@code docker login} does): a Bearer
     * registry must grant a token for them, a Basic one must accept them on /v2/.
     */
    public void verifyLogin() throws IOException {
        if (credentials == null) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "no credentials for " + registry);
        }
        Challenge current = challenge;
        if (current == null) {
            return;
        }
        if (current.scheme().equals("bearer")) {
            fetchToken(current, List.of());
            return;
        }
        Reply response = sendBytes(() -> get(base.resolve("/v2/")), List.of(), true);
        if (response.status() / 100 != 2) {
            throw failure(response.status(), body(response), "login to " + registry);
        }
    }

    /** Fetches a manifest (image, index or list) by tag or digest, verifying its digest. */
    public Manifest getManifest(String repository, String reference, String accept) throws IOException {
        URI uri = v2(repository, "manifests/" + reference);
        Reply response = sendBytes(() -> get(uri).header("Accept", accept), pull(repository), true);
        byte[] bytes = body(response);
        if (response.status() != 200) {
            throw failure(response.status(), bytes, "manifest " + repository + ":" + reference + " on " + registry);
        }
        if (bytes.length > MAX_MANIFEST) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "manifest " + repository + ":" + reference + " is larger than 4 MiB");
        }
        String expected = reference.contains(":") ? reference : response.header("Docker-Content-Digest").orElse(null);
        String digest = expected != null && Digests.valid(expected) ? Digests.of(expected, bytes) : Digests.sha256(bytes);
        if (expected != null && Digests.valid(expected) && !digest.equals(expected)) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "manifest " + repository + "@" + reference
                    + " from " + registry + " has digest " + digest + ", expected " + expected);
        }
        String mediaType = response.header("Content-Type").map(t -> t.split(";")[0].strip()).orElse("");
        if (!MediaTypes.isImageManifest(mediaType) && !MediaTypes.isIndex(mediaType)) {
            String inBody = JSON.readTree(bytes).path("mediaType").asText("");
            if (!inBody.isEmpty()) {
                mediaType = inBody;
            }
        }
        return new Manifest(bytes, mediaType, digest);
    }

    /** Whether the repository already has a blob (HEAD). */
    public boolean hasBlob(String repository, String digest, List<String> scopes) throws IOException {
        URI uri = v2(repository, "blobs/" + digest);
        Reply response = sendBytes(() -> new Request("HEAD", uri), scopes, true);
        int status = response.status();
        if (status / 100 == 2 || status / 100 == 3) {
            return true;
        }
        if (status == 404) {
            return false;
        }
        throw failure(status, body(response), "blob " + digest + " in " + repository + " on " + registry);
    }

    /**
     * Opens a blob for reading. The stream resumes with a Range request after a dropped
     * connection or a retryable error, and fails with {@link RegistryException.Kind#DIGEST_MISMATCH}
     * at its end if the content does not match the digest (when {@code verify}).
     */
    public InputStream openBlob(String repository, String digest, long size, boolean verify, TransferListener listener) throws IOException {
        return new BlobInput(this, repository, digest, size, verify, listener);
    }

    /** One GET of a blob from an offset; follows redirects (without our credentials off-host). */
    Reply getBlob(String repository, String digest, long offset) throws IOException {
        URI uri = v2(repository, "blobs/" + digest);
        for (int attempt = 1; ; attempt++) {
            Reply response = send(() -> ranged(get(uri), offset), pull(repository), true);
            URI location = uri;
            int redirects = 0;
            while (isRedirect(response.status()) && redirects++ < MAX_REDIRECTS) {
                response.close();
                location = location.resolve(response.header("Location").orElseThrow(
                        () -> new RegistryException(RegistryException.Kind.PROTOCOL, "redirect without Location for blob " + digest)));
                URI target = location;
                response = retrying(() -> ranged(get(target), offset), null, true);
            }
            int status = response.status();
            if (status == 200 || status == 206) {
                return response;
            }
            byte[] body = drain(response.body());
            if (Retry.retryableStatus(status) && attempt < retry.attempts()) {
                retry.sleep(attempt, retryAfter(response));
                continue;
            }
            throw failure(status, body, "blob " + digest + " in " + repository + " on " + registry);
        }
    }

    private static Request ranged(Request request, long offset) {
        return offset > 0 ? request.header("Range", "bytes=" + offset + "-") : request;
    }

    Retry retry() {
        return retry;
    }

    /**
     * Makes a blob present in the repository: skipped when it exists (HEAD), mounted from
     * {@code mountFrom} (another repository on this registry, may be null) when the registry
     * allows, else uploaded, monolithically or in chunks.
     */
    public Upload uploadBlob(String repository, String digest, long size, Supplier<InputStream> content,
                             String mountFrom, TransferListener listener) throws IOException {
        List<String> scopes = new ArrayList<>(push(repository));
        if (mountFrom != null && !mountFrom.equals(repository)) {
            scopes.add("repository:" + mountFrom + ":pull");
        }
        if (hasBlob(repository, digest, scopes)) {
            return Upload.EXISTED;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                URI start = v2(repository, "blobs/uploads/");
                if (mountFrom != null && !mountFrom.equals(repository)) {
                    start = URI.create(start + "?mount=" + encode(digest) + "&from=" + encode(mountFrom));
                }
                URI startUri = start;
                Reply started = sendBytes(() -> new Request("POST", startUri), scopes, true);
                if (started.status() == 201) {
                    return Upload.MOUNTED;
                }
                if (started.status() != 202) {
                    throw failure(started.status(), body(started), "starting upload of " + digest + " to " + repository + " on " + registry);
                }
                URI location = location(started, digest);
                long chunk = chunkSize;
                if (chunk > 0 && size > chunk) {
                    uploadChunked(repository, digest, size, content, location, chunk, scopes, listener);
                } else {
                    uploadMonolithic(repository, digest, size, content, location, scopes, listener);
                }
                return Upload.UPLOADED;
            } catch (RegistryException e) {
                // A broken connection or a server error: start the upload again (a new session).
                boolean transient_ = e.kind() == RegistryException.Kind.UNREACHABLE || e.kind() == RegistryException.Kind.UNAVAILABLE;
                if (!transient_ || attempt >= retry.attempts()) {
                    throw e;
                }
                listener.retrying(digest, e.getMessage());
                retry.sleep(attempt, null);
            }
        }
    }

    private void uploadMonolithic(String repository, String digest, long size, Supplier<InputStream> content, URI location,
                                  List<String> scopes, TransferListener listener) throws IOException {
        URI put = withQuery(location, "digest=" + encode(digest));
        Reply response = sendOnce(() -> new Request("PUT", put).header("Content-Type", "application/octet-stream")
                .body(() -> new CountingInput(content.get(), digest, listener), size), scopes);
        if (response.status() != 201 && response.status() != 204) {
            throw failure(response.status(), body(response), "uploading " + digest + " to " + repository + " on " + registry);
        }
    }

    private void uploadChunked(String repository, String digest, long size, Supplier<InputStream> content, URI location,
                               long chunk, List<String> scopes, TransferListener listener) throws IOException {
        byte[] buffer = new byte[(int) Math.min(chunk, Integer.MAX_VALUE - 16)];
        long sent = 0;
        try (InputStream in = content.get()) {
            while (sent < size) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, size - sent));
                if (n <= 0) {
                    throw new IOException("blob " + digest + " ended after " + sent + " of " + size + " bytes");
                }
                byte[] part = n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n);
                long from = sent;
                URI at = location;
                Reply response = sendOnce(() -> new Request("PATCH", at).header("Content-Type", "application/octet-stream")
                        .header("Content-Range", from + "-" + (from + n - 1)).body(part), scopes);
                if (response.status() != 202) {
                    throw failure(response.status(), body(response), "uploading a chunk of " + digest + " to " + repository + " on " + registry);
                }
                location = location(response, digest);
                sent += n;
                listener.progressed(digest, sent);
            }
        }
        URI put = withQuery(location, "digest=" + encode(digest));
        Reply response = sendOnce(() -> new Request("PUT", put), scopes);
        if (response.status() != 201 && response.status() != 204) {
            throw failure(response.status(), body(response), "finishing upload of " + digest + " to " + repository + " on " + registry);
        }
    }

    /** PUTs a manifest under a tag or digest; returns the digest the registry reports (or computes). */
    public String putManifest(String repository, String reference, String mediaType, byte[] bytes) throws IOException {
        URI uri = v2(repository, "manifests/" + reference);
        Reply response = sendBytes(() -> new Request("PUT", uri).header("Content-Type", mediaType).body(bytes), push(repository), true);
        int status = response.status();
        if (status != 201 && status != 200 && status != 202) {
            throw failure(status, body(response), "manifest " + repository + ":" + reference + " on " + registry);
        }
        return response.header("Docker-Content-Digest").orElse(Digests.sha256(bytes));
    }

    // ---- requests, authentication, retries ----

    static List<String> pull(String repository) {
        return List.of("repository:" + repository + ":pull");
    }

    static List<String> push(String repository) {
        return List.of("repository:" + repository + ":pull,push");
    }

    private URI v2(String repository, String rest) {
        return base.resolve("/v2/" + repository + "/" + rest);
    }

    private static Request get(URI uri) {
        return new Request("GET", uri);
    }

    /** Sends (with authentication unless told not to) and reads the whole body, so the connection is reused. */
    private Reply sendBytes(Supplier<Request> request, List<String> scopes, boolean authenticate) throws IOException {
        Reply response = authenticate ? send(request, scopes, true) : retrying(request, null, true);
        return buffered(response);
    }

    private static Reply buffered(Reply response) throws IOException {
        byte[] bytes;
        try {
            bytes = response.bytes(MAX_MANIFEST + 1);
        } catch (IOException e) {
            bytes = new byte[0];
        }
        return new Reply(response.status(), response.headers(), new java.io.ByteArrayInputStream(bytes));
    }

    private static byte[] body(Reply response) throws IOException {
        return response.body().readAllBytes();
    }

    /** Sends once as far as retries go (for bodies that should not be re-sent blindly), with authentication. */
    private Reply sendOnce(Supplier<Request> request, List<String> scopes) throws IOException {
        return buffered(send(request, scopes, false));
    }

    /** Sends with authentication for the scopes; on a 401, gets a fresh token (or Basic) once and resends. */
    private Reply send(Supplier<Request> request, List<String> scopes, boolean idempotent) throws IOException {
        Reply response = retrying(request, scopes, idempotent);
        if (response.status() == 401 && reauthenticate(response, scopes)) {
            response.close();
            response = retrying(request, scopes, idempotent);
        }
        return response;
    }

    /** Sends; when {@code idempotent}, retries dropped connections and 408/429/5xx with backoff. */
    private Reply retrying(Supplier<Request> request, List<String> scopes, boolean idempotent) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Request built = request.get();
            authorize(built, scopes);
            Reply response;
            try {
                response = http.execute(built);
            } catch (IOException e) {
                SSLException tls = causeOf(e, SSLException.class);
                if (tls == null && attempt == 1 && causeOf(e, ConnectException.class) == null) {
                    tls = http.tlsRefusal(built.uri).orElse(null);
                }
                if (tls != null) {
                    throw tlsFailure(tls);
                }
                if (causeOf(e, ConnectException.class) != null) {
                    throw new RegistryException(RegistryException.Kind.UNREACHABLE, "cannot connect to " + registry + " (" + base
                            + "): " + describe(e), e);
                }
                // Bodies that are not safe to resend (upload data) fail at once; the caller starts over.
                if (!idempotent || attempt >= retry.attempts()) {
                    throw new RegistryException(RegistryException.Kind.UNREACHABLE, "talking to " + registry + " failed after "
                            + attempt + (attempt == 1 ? " attempt: " : " attempts: ") + describe(e), e);
                }
                retry.sleep(attempt, null);
                continue;
            }
            if (idempotent && Retry.retryableStatus(response.status()) && attempt < retry.attempts()) {
                response.close();
                retry.sleep(attempt, retryAfter(response));
                continue;
            }
            return response;
        }
    }

    private RegistryException tlsFailure(SSLException tls) {
        String reason = describe(tls);
        // An alert the server sent about our certificate (not our own verdict on the server's).
        boolean clientRefused = reason.contains("Received fatal alert") && (reason.contains("certificate_required")
                || reason.contains("bad_certificate") || reason.contains("unknown_ca") || reason.contains("certificate_unknown"));
        String advice = clientRefused
                ? "the registry wants a client certificate it trusts: NAME.cert and NAME.key in certs.d/" + registry + "/"
                : "for a registry without valid TLS use --tls-verify=false";
        return new RegistryException(RegistryException.Kind.UNREACHABLE, "TLS failure talking to " + registry + ": " + reason
                + " (" + advice + ")", tls);
    }

    private void authorize(Request request, List<String> scopes) throws IOException {
        Challenge current = challenge;
        if (current == null || scopes == null) {
            return;
        }
        if (current.scheme().equals("basic")) {
            if (credentials != null) {
                request.header("Authorization", "Basic " + credentials.basicToken());
            }
        } else if (current.scheme().equals("bearer")) {
            String key = key(scopes);
            String token = tokens.get(key);
            if (token == null) {
                // One token request per scope even when parallel transfers start together.
                synchronized (tokenLocks.computeIfAbsent(key, k -> new Object())) {
                    token = tokens.get(key);
                    if (token == null) {
                        token = fetchToken(current, scopes);
                    }
                }
            }
            request.header("Authorization", "Bearer " + token);
        }
    }

    /** Handles a 401: returns true when a resend with new authorization is worth it (once per request). */
    private boolean reauthenticate(Reply response, List<String> scopes) throws IOException {
        Optional<Challenge> fresh = challengeOf(response);
        if (fresh.isEmpty() || scopes == null) {
            return false;
        }
        Challenge previous = challenge;
        challenge = fresh.get();
        if (fresh.get().scheme().equals("bearer")) {
            List<String> wanted = new ArrayList<>(scopes);
            String asked = fresh.get().parameter("scope");
            if (asked != null) {
                for (String scope : asked.split(" ")) {
                    if (!scope.isEmpty() && !wanted.contains(scope)) {
                        wanted.add(scope);
                    }
                }
            }
            tokens.put(key(scopes), fetchToken(fresh.get(), wanted));
            return true;
        }
        if (credentials == null) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "unauthorized: " + registry
                    + " requires authentication; run: vessel login " + registry);
        }
        return previous == null || !previous.scheme().equals("basic");
    }

    private String fetchToken(Challenge bearer, List<String> scopes) throws IOException {
        String realm = bearer.parameter("realm");
        if (realm == null || realm.isEmpty()) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, registry + " sent a Bearer challenge without a realm");
        }
        StringBuilder query = new StringBuilder();
        String service = bearer.parameter("service");
        if (service != null) {
            query.append("service=").append(encode(service));
        }
        for (String scope : new TreeSet<>(scopes)) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
        }
        URI uri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
        Reply response = buffered(retrying(() -> {
            Request request = get(uri);
            if (credentials != null) {
                request.header("Authorization", "Basic " + credentials.basicToken());
            }
            return request;
        }, null, true));
        byte[] bytes = body(response);
        if (response.status() == 401 || response.status() == 403) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "unauthorized: the token service of " + registry
                    + (credentials != null ? " rejected the user name or password for " + credentials.username()
                            : " refused anonymous access; run: vessel login " + registry));
        }
        if (response.status() != 200) {
            throw failure(response.status(), bytes, "token from " + realm);
        }
        JsonNode json = JSON.readTree(bytes);
        String token = json.path("token").asText("");
        if (token.isEmpty()) {
            token = json.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "token service " + realm + " answered without a token");
        }
        tokens.put(key(scopes), token);
        return token;
    }

    private static String key(List<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    private static Optional<Challenge> challengeOf(Reply response) {
        Optional<Challenge> found = Optional.empty();
        for (String value : response.allHeaders("WWW-Authenticate")) {
            Optional<Challenge> parsed = Challenge.parse(value);
            if (parsed.isPresent() && parsed.get().scheme().equals("bearer")) {
                return parsed;
            }
            if (found.isEmpty()) {
                found = parsed;
            }
        }
        return found;
    }

    private URI location(Reply response, String digest) throws RegistryException {
        String location = response.header("Location").orElseThrow(() -> new RegistryException(
                RegistryException.Kind.PROTOCOL, registry + " gave no upload Location for " + digest));
        return base.resolve(location);
    }

    private static URI withQuery(URI uri, String query) {
        String text = uri.toString();
        return URI.create(text + (text.contains("?") ? "&" : "?") + query);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static Duration retryAfter(Reply response) {
        return response.header("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    static <E extends Throwable> E causeOf(Throwable e, Class<E> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            return in.readNBytes(64 << 10);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** A one-line error for a non-success status, using the registry's error body when it has one. */
    RegistryException failure(int status, byte[] body, String what) {
        String detail = "";
        String code = "";
        try {
            if (body != null && body.length > 0) {
                JsonNode errors = JSON.readTree(body).path("errors");
                if (errors.isArray() && !errors.isEmpty()) {
                    code = errors.get(0).path("code").asText("");
                    detail = errors.get(0).path("message").asText("");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: keep the status alone
        }
        String suffix = detail.isEmpty() ? "" : ": " + detail;
        return switch (status) {
            case 401 -> new RegistryException(RegistryException.Kind.UNAUTHORIZED, "unauthorized: " + what + " (HTTP 401"
                    + suffix + "); check the credentials, or run: vessel login " + registry);
            case 403 -> new RegistryException(RegistryException.Kind.DENIED, "denied: " + what + " (HTTP 403" + suffix + ")");
            case 404 -> new RegistryException(RegistryException.Kind.NOT_FOUND, "not found: " + what
                    + (code.isEmpty() ? "" : " (" + code + ")"));
            default -> new RegistryException(Retry.retryableStatus(status) ? RegistryException.Kind.UNAVAILABLE
                    : RegistryException.Kind.PROTOCOL, what + ": HTTP " + status + suffix);
        };
    }

    @Override
    public void close() {
        http.close();
    }
}
