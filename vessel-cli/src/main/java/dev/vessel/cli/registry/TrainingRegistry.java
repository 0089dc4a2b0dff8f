package dev.vessel.cli.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vessel.image.Digest;
import dev.vessel.image.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A throw-away in-memory registry on loopback, only for the AOT training run (bin/build): a
 * real pull and push against it load what a pull or push loads after connecting (manifest
 * parsing, the store's writer, native SHA-256, parallel transfers, uploads), which failing
 * connections never reach. Speaks just enough of the distribution API for Vessel's own
 * client; it holds one tiny image, {@code vessel/training:1}.
 */
final class TrainingRegistry {
    static final String REPOSITORY = "vessel/training";

    private final HttpServer server;
    /** Blobs by repository and digest; manifests by repository and tag or digest. */
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();

    private TrainingRegistry(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port (daemon threads: it ends with the training run). */
    static TrainingRegistry start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        TrainingRegistry registry = new TrainingRegistry(server);
        registry.seed();
        server.createContext("/v2/", registry::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "vessel-training-registry");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return registry;
    }

    /** host:port as in image references. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void seed() {
        byte[] layer = "vessel training layer\n".getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.of(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.of(config) + "\",\"size\":" + config.length + "},\"layers\":[{"
                + "\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + Digest.of(layer) + "\",\"size\":" + layer.length
                + "}]}").getBytes(StandardCharsets.UTF_8);
        blobs.put(REPOSITORY + "@" + Digest.of(layer), layer);
        blobs.put(REPOSITORY + "@" + Digest.of(config), config);
        manifests.put(REPOSITORY + ":1", manifest);
        manifests.put(REPOSITORY + "@" + Digest.of(manifest), manifest);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/v2/")) {
                reply(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
                return;
            }
            int manifestsAt = path.indexOf("/manifests/");
            int blobsAt = path.indexOf("/blobs/");
            if (manifestsAt > 0) {
                String repository = path.substring(4, manifestsAt);
                String reference = path.substring(manifestsAt + "/manifests/".length());
                String key = repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
                if (method.equals("PUT")) {
                    byte[] body = readBody(exchange);
                    manifests.put(key, body);
                    manifests.put(repository + "@" + Digest.of(body), body);
                    exchange.getResponseHeaders().set("Docker-Content-Digest", Digest.of(body).toString());
                    reply(exchange, 201, null, null);
                } else {
                    byte[] manifest = manifests.get(key);
                    if (manifest != null) {
                        exchange.getResponseHeaders().set("Docker-Content-Digest", Digest.of(manifest).toString());
                    }
                    reply(exchange, manifest == null ? 404 : 200, manifest, MediaTypes.OCI_MANIFEST);
                }
            } else if (blobsAt > 0 && path.startsWith("/blobs/uploads/", blobsAt)) {
                String repository = path.substring(4, blobsAt);
                if (method.equals("POST")) {
                    exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/uploads/" + UUID.randomUUID());
                    reply(exchange, 202, null, null);
                } else {
                    byte[] body = readBody(exchange);
                    String query = URI.create(exchange.getRequestURI().toString()).getQuery();
                    String digest = query == null ? "" : query.replaceFirst("^.*digest=([^&]*).*$", "$1");
                    blobs.put(repository + "@" + digest, body);
                    reply(exchange, 201, null, null);
                }
            } else if (blobsAt > 0) {
                byte[] blob = blobs.get(path.substring(4, blobsAt) + "@" + path.substring(blobsAt + "/blobs/".length()));
                reply(exchange, blob == null ? 404 : 200, blob, "application/octet-stream");
            } else {
                reply(exchange, 404, null, null);
            }
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
        } else if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
