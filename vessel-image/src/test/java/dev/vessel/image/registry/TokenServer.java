package dev.vessel.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Docker-style token service: {@code GET /token?service=S&scope=repository:NAME:ACTIONS},
 * Basic-authenticated against one user, answering with a JWT (RS256, the signing certificate in
 * {@code x5c}) that distribution's {@code auth: token} verifies against our test certificate.
 * Anonymous callers get pull access only; unknown users get 401. Records every request.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "vessel-test-registry";
    static final String ISSUER = "vessel-test-issuer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final PrivateKey key;
    private final String certificate;
    private final String user;
    private final String password;
    final Path bundle;
    final List<String> requests = new CopyOnWriteArrayList<>();

    private TokenServer(HttpServer server, PrivateKey key, String certificate, String user, String password, Path bundle) {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
        this.user = user;
        this.password = password;
        this.bundle = bundle;
    }

    static TokenServer start(Path dir, String user, String password) throws Exception {
        Tools.require("openssl");
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("token.key");
        Path certFile = dir.resolve("token.crt");
        Tools.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile.toString(),
                "-out", certFile.toString(), "-days", "2", "-subj", "/CN=vessel-test-token-signer");
        String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TokenServer server = new TokenServer(http, key, Base64.getEncoder().encodeToString(cert.getEncoded()), user, password, certFile);
        http.createContext("/token", server::handle);
        http.start();
        return server;
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8));
            String subject = "";
            boolean canPush = false;
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
                if (!authorization.equals(expected)) {
                    byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(401, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                subject = user;
                canPush = true;
            }
            ArrayNode access = JSON.createArrayNode();
            for (String scope : scopes(query)) {
                String[] parts = scope.split(":");
                if (parts.length != 3) {
                    continue;
                }
                ObjectNode grant = access.addObject().put("type", parts[0]).put("name", parts[1]);
                ArrayNode actions = grant.putArray("actions");
                for (String action : parts[2].split(",")) {
                    if (action.equals("pull") || (canPush && action.equals("push"))) {
                        actions.add(action);
                    }
                }
            }
            long now = System.currentTimeMillis() / 1000;
            ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", subject).put("aud", SERVICE)
                    .put("exp", now + 600).put("nbf", now - 60).put("iat", now).put("jti", UUID.randomUUID().toString());
            claims.set("access", access);
            ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
            header.putArray("x5c").add(certificate);
            String signingInput = base64url(JSON.writeValueAsBytes(header)) + "." + base64url(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String token = signingInput + "." + base64url(signature.sign());
            byte[] body = JSON.writeValueAsBytes(Map.of("token", token, "expires_in", 600));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static List<String> scopes(String query) {
        List<String> scopes = new ArrayList<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("scope=")) {
                    scopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
                }
            }
        }
        return scopes;
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    RegistryServer.Config registryConfig() {
        RegistryServer.Config config = new RegistryServer.Config();
        config.tokenRealm = realm();
        config.tokenService = SERVICE;
        config.tokenIssuer = ISSUER;
        config.tokenBundle = bundle.toString();
        return config;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
