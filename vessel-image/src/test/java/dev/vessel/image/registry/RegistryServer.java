package dev.vessel.image.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (distribution 2.8) on 127.0.0.1 and a free port, storing into a
 * temporary directory; optionally with TLS, htpasswd Basic auth or token (Bearer) auth.
 */
final class RegistryServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;
    private final Path log;

    private RegistryServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static final class Config {
        String tlsCert;
        String tlsKey;
        /** A CA file: the registry then requires a client certificate it signed (mutual TLS). */
        String clientCa;
        String htpasswd;
        String tokenRealm;
        String tokenService;
        String tokenIssuer;
        String tokenBundle;
    }

    static RegistryServer start(Path dir, Config config) throws IOException, InterruptedException {
        Tools.require("docker-registry");
        int port = freePort();
        Path storage = Files.createDirectories(dir.resolve("storage"));
        StringBuilder yaml = new StringBuilder("""
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: vessel-test-secret
                """.formatted(storage, port));
        if (config.tlsCert != null) {
            yaml.append("  tls:\n    certificate: ").append(config.tlsCert).append("\n    key: ").append(config.tlsKey).append('\n');
            if (config.clientCa != null) {
                yaml.append("    clientcas:\n      - ").append(config.clientCa).append('\n');
            }
        }
        if (config.htpasswd != null) {
            yaml.append("auth:\n  htpasswd:\n    realm: vessel-test\n    path: ").append(config.htpasswd).append('\n');
        } else if (config.tokenRealm != null) {
            yaml.append("auth:\n  token:\n    realm: ").append(config.tokenRealm)
                    .append("\n    service: ").append(config.tokenService)
                    .append("\n    issuer: ").append(config.tokenIssuer)
                    .append("\n    rootcertbundle: ").append(config.tokenBundle).append('\n');
        }
        Path file = dir.resolve("config.yml");
        Files.writeString(file, yaml);
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(BINARY.toString(), "serve", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RegistryServer server = new RegistryServer(process, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IOException("docker-registry did not listen on " + port + ": " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    static RegistryServer plain(Path dir) throws IOException, InterruptedException {
        return start(dir, new Config());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** host:port as written in image references. */
    String host() {
        return "127.0.0.1:" + port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
