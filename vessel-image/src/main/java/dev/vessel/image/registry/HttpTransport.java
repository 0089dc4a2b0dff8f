package dev.vessel.image.registry;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * Sends one HTTP/1.1 request. Blocking {@link HttpURLConnection} carries almost everything: it
 * starts in a fraction of {@link HttpClient}'s CPU time (which matters for a short-lived CLI),
 * keeps connections alive per host, and streams bodies straight between the socket and our
 * buffers. Only PATCH (chunked uploads), which HttpURLConnection refuses, goes through a lazily
 * built {@link HttpClient}.
 */
final class HttpTransport implements Closeable {
    private static final int CONNECT_TIMEOUT_MS = 30_000;
    private static final int READ_TIMEOUT_MS = 300_000;
    private static final int UPLOAD_BUFFER = 256 << 10;

    /** A request: method, URL, headers and an optional body (bytes, or a stream of known length). */
    static final class Request {
        final String method;
        final URI uri;
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body;
        Supplier<InputStream> stream;
        long length = -1;

        Request(String method, URI uri) {
            this.method = method;
            this.uri = uri;
            headers.put("User-Agent", "vessel");
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        Request body(Supplier<InputStream> content, long size) {
            this.stream = content;
            this.length = size;
            return this;
        }
    }

    /** A response: status, headers (names case-insensitive) and the body stream (empty when none). */
    record Reply(int status, Map<String, List<String>> headers, InputStream body) implements Closeable {
        Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        List<String> allHeaders(String name) {
            return headers.getOrDefault(name, List.of());
        }

        /** The whole body (bounded), closing the stream. */
        byte[] bytes(int limit) throws IOException {
            try (InputStream in = body) {
                return in.readNBytes(limit);
            }
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // the connection is dropped instead of reused
            }
        }
    }

    private final SSLContext ssl;
    private final boolean verifyHosts;
    private volatile HttpClient patchClient;

    HttpTransport(SSLContext ssl, boolean verifyHosts) {
        this.ssl = ssl;
        this.verifyHosts = verifyHosts;
    }

    Reply execute(Request request) throws IOException {
        if (request.method.equals("PATCH")) {
            return patch(request);
        }
        HttpURLConnection connection = (HttpURLConnection) request.uri.toURL().openConnection();
        if (connection instanceof HttpsURLConnection https && ssl != null) {
            https.setSSLSocketFactory(ssl.getSocketFactory());
            if (!verifyHosts) {
                https.setHostnameVerifier((host, session) -> true);
            }
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(READ_TIMEOUT_MS);
        connection.setRequestMethod(request.method);
        for (Map.Entry<String, String> header : request.headers.entrySet()) {
            connection.setRequestProperty(header.getKey(), header.getValue());
        }
        boolean hasBody = request.body != null || request.stream != null;
        if (hasBody) {
            connection.setDoOutput(true);
            long length = request.body != null ? request.body.length : request.length;
            connection.setFixedLengthStreamingMode(length);
            try (OutputStream out = connection.getOutputStream()) {
                if (request.body != null) {
                    out.write(request.body);
                } else {
                    try (InputStream in = request.stream.get()) {
                        // Larger than transferTo's 16 KiB: the socket takes up to 128 KiB a write.
                        byte[] buffer = new byte[UPLOAD_BUFFER];
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            out.write(buffer, 0, n);
                        }
                    }
                }
            }
        } else if (request.method.equals("POST") || request.method.equals("PUT")) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(0);
            connection.getOutputStream().close();
        }
        int status = connection.getResponseCode();
        if (status < 0) {
            throw new IOException("invalid HTTP response from " + request.uri.getAuthority());
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, List<String>> header : connection.getHeaderFields().entrySet()) {
            if (header.getKey() != null) {
                headers.put(header.getKey(), header.getValue());
            }
        }
        InputStream body;
        try {
            body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
        } catch (IOException e) {
            body = connection.getErrorStream();
        }
        if (body == null || request.method.equals("HEAD")) {
            body = InputStream.nullInputStream();
        }
        return new Reply(status, headers, body);
    }

    /**
     * Why an HTTPS exchange with {@code uri}'s server broke, when TLS is the reason. A server
     * that refuses the client's certificate does so after a TLS 1.3 handshake has completed on
     * the client's side, and HttpURLConnection then reports only "Error writing to server": one
     * request over a bare TLS socket, read back, surfaces the server's alert instead.
     */
    java.util.Optional<javax.net.ssl.SSLException> tlsRefusal(URI uri) {
        if (ssl == null || !uri.getScheme().equals("https")) {
            return java.util.Optional.empty();
        }
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ssl.getSocketFactory().createSocket()) {
            socket.connect(new java.net.InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(CONNECT_TIMEOUT_MS);
            socket.startHandshake();
            try {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /v2/ HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
            } catch (javax.net.ssl.SSLException e) {
                return java.util.Optional.of(e);
            } catch (IOException e) {
                // the server may have closed already: its alert is still there to read
            }
            socket.getInputStream().read();
            return java.util.Optional.empty();
        } catch (javax.net.ssl.SSLException e) {
            return java.util.Optional.of(e);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private Reply patch(Request request) throws IOException {
        HttpClient client = patchClient;
        if (client == null) {
            synchronized (this) {
                client = patchClient;
                if (client == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MS));
                    if (ssl != null) {
                        builder.sslContext(ssl);
                    }
                    client = builder.build();
                    patchClient = client;
                }
            }
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri).method("PATCH",
                HttpRequest.BodyPublishers.ofByteArray(request.body == null ? new byte[0] : request.body));
        for (Map.Entry<String, String> header : request.headers.entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                headers.put(header.getKey(), new ArrayList<>(header.getValue()));
            }
            return new Reply(response.statusCode(), headers, new ByteArrayInputStream(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted uploading to " + request.uri.getAuthority());
        }
    }

    @Override
    public void close() {
        HttpClient client = patchClient;
        if (client != null) {
            client.close();
        }
    }
}
