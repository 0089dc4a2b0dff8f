package dev.vessel.image.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy in front of a plain-HTTP registry that damages blob downloads: CORRUPT flips one
 * byte in the middle of every blob body; DROP sends half of each blob once and then cuts the
 * connection (later requests, with or without Range, pass untouched); UNAVAILABLE answers the
 * first GET of each blob and of each manifest with 503.
 */
final class FaultProxy implements AutoCloseable {
    enum Fault { NONE, CORRUPT, DROP, UNAVAILABLE }

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "transfer-encoding", "host",
            "keep-alive", "upgrade", "date");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String upstream;
    private final Fault fault;
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    /** "METHOD PATH [Range]" of every blob GET, for assertions. */
    final List<String> blobRequests = new CopyOnWriteArrayList<>();

    private FaultProxy(HttpServer server, String upstream, Fault fault) {
        this.server = server;
        this.upstream = upstream;
        this.fault = fault;
    }

    static FaultProxy start(String upstreamHost, Fault fault) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        FaultProxy proxy = new FaultProxy(http, upstreamHost, fault);
        http.createContext("/", proxy::handle);
        http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        return proxy;
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            URI target = URI.create("http://" + upstream + path + (query == null ? "" : "?" + query));
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (!HOP_HEADERS.contains(header.getKey().toLowerCase())) {
                    for (String value : header.getValue()) {
                        request.header(header.getKey(), value);
                    }
                }
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                if (header.getKey().equals(":status") || HOP_HEADERS.contains(header.getKey().toLowerCase())) {
                    continue;
                }
                for (String value : header.getValue()) {
                    exchange.getResponseHeaders().add(header.getKey(), value.replace(upstream, host()));
                }
            }
            byte[] content = response.body();
            if (fault == Fault.UNAVAILABLE && exchange.getRequestMethod().equals("GET")
                    && (path.contains("/blobs/sha256:") || path.contains("/manifests/")) && dropped.add(path)) {
                exchange.getResponseHeaders().clear();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            boolean blob = exchange.getRequestMethod().equals("GET") && path.contains("/blobs/sha256:") && content.length > 1;
            if (blob) {
                String range = exchange.getRequestHeaders().getFirst("Range");
                blobRequests.add("GET " + path + (range == null ? "" : " " + range));
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (blob && fault == Fault.CORRUPT) {
                content[content.length / 2] ^= 0x20;
            }
            if (blob && fault == Fault.DROP && content.length > 1024 && dropped.add(path)) {
                exchange.sendResponseHeaders(response.statusCode(), content.length);
                OutputStream out = exchange.getResponseBody();
                out.write(content, 0, content.length / 2);
                out.flush();
                // Closing short of Content-Length makes the server drop the connection.
                return;
            }
            long length = head ? -1 : (content.length == 0 ? -1 : content.length);
            if (head) {
                response.headers().firstValue("Content-Length").ifPresent(v -> exchange.getResponseHeaders().set("Content-Length", v));
            }
            exchange.sendResponseHeaders(response.statusCode(), length);
            if (!head && content.length > 0) {
                exchange.getResponseBody().write(content);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the drop fault ends here on purpose
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }
}
