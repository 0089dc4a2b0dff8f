package dev.vessel.cli.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's docker-registry on 127.0.0.1 and a free port, plain HTTP, optionally with htpasswd auth. */
final class LocalRegistry implements AutoCloseable {
    private final Process process;
    final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static LocalRegistry start(Path dir, Path htpasswd) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")), "docker-registry is not installed (bin/install-deps installs it)");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir);
        String config = """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                  secret: vessel-test-secret
                """.formatted(dir.resolve("storage"), port);
        if (htpasswd != null) {
            config += "auth:\n  htpasswd:\n    realm: vessel-test\n    path: " + htpasswd + "\n";
        }
        Path file = dir.resolve("config.yml");
        Files.writeString(file, config);
        Process process = new ProcessBuilder("/usr/bin/docker-registry", "serve", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, port);
        for (int i = 0; i < 400; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return registry;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        registry.close();
        throw new IOException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
    }

    String host() {
        return "127.0.0.1:" + port;
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
