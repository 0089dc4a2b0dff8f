package dev.vessel.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a per-registry CA, htpasswd Basic auth and Bearer tokens against a real docker-registry. */
class RegistryAuthTest {
    @TempDir
    Path tmp;

    private RegistrySettings settings(Path certsDir) {
        return new RegistrySettings(tmp.resolve("auth.json"), certsDir == null ? List.of() : List.of(certsDir), List.of());
    }

    private Pusher.Result push(RegistrySettings settings, boolean tlsVerify, Credentials credentials, String destination) throws IOException {
        TestImage image = TestImage.random(11, 2, 50_000, false, "amd64");
        ImageStore store = ImageStore.open(tmp.resolve("source"));
        if (store.images().isEmpty()) {
            image.store(store, "localhost/app:1");
        }
        ImageReference ref = ImageReference.parse(destination);
        try (RegistryClient client = RegistryClient.connect(ref.domain(), tlsVerify, credentials, settings, Retry.DEFAULT)) {
            return new Pusher(store, client, 4).push(store.resolve("localhost/app:1"), ref, TransferListener.NONE);
        }
    }

    private Puller.Result pull(RegistrySettings settings, boolean tlsVerify, Credentials credentials, String reference, Path root) throws IOException {
        ImageReference ref = ImageReference.parse(reference);
        try (RegistryClient client = RegistryClient.connect(ref.domain(), tlsVerify, credentials, settings, Retry.DEFAULT)) {
            return new Puller(ImageStore.open(root), client, 4).pull(ref, Platform.DEFAULT, TransferListener.NONE);
        }
    }

    @Test
    void tlsIsVerifiedWithTheCaFromTheRegistrysCertsDirectory() throws Exception {
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        RegistryServer.Config config = new RegistryServer.Config();
        config.tlsCert = ca.serverCert().toString();
        config.tlsKey = ca.serverKey().toString();
        try (RegistryServer registry = RegistryServer.start(tmp.resolve("registry"), config)) {
            Path certsDir = ca.certsDir(tmp.resolve("certs.d"), registry.host());
            // Without the CA: refused, with advice.
            assertThatThrownBy(() -> push(settings(tmp.resolve("empty-certs.d")), true, null, registry.host() + "/app:1"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("TLS failure talking to " + registry.host())
                    .hasMessageContaining("--tls-verify=false");
            // With it: verified HTTPS both ways.
            Pusher.Result pushed = push(settings(certsDir), true, null, registry.host() + "/app:1");
            Puller.Result pulled = pull(settings(certsDir), true, null, registry.host() + "/app:1", tmp.resolve("root"));
            assertThat(pulled.manifestDigest()).isEqualTo(pushed.manifestDigest());
            // --tls-verify=false still uses HTTPS when the server speaks it.
            try (RegistryClient client = RegistryClient.connect(registry.host(), false, null, settings(null), Retry.DEFAULT)) {
                assertThat(client.baseUri().getScheme()).isEqualTo("https");
            }
        }
    }

    @Test
    void mutualTlsWithTheClientCertificateFromTheRegistrysCertsDirectory() throws Exception {
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        RegistryServer.Config config = new RegistryServer.Config();
        config.tlsCert = ca.serverCert().toString();
        config.tlsKey = ca.serverKey().toString();
        config.clientCa = ca.caCert().toString();
        try (RegistryServer registry = RegistryServer.start(tmp.resolve("registry"), config)) {
            Path certsDir = ca.certsDir(tmp.resolve("certs.d"), registry.host());
            String ref = registry.host() + "/app:1";
            // The server's certificate is trusted, but without a client certificate the handshake is refused.
            assertThatThrownBy(() -> push(settings(certsDir), true, null, ref))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("TLS failure talking to " + registry.host())
                    .hasMessageContaining("the registry wants a client certificate it trusts");
            // A certificate from another CA is refused too.
            TestCa stranger = TestCa.create(tmp.resolve("stranger"));
            Path strangerDir = stranger.certsDir(tmp.resolve("stranger-certs.d"), registry.host());
            Files.copy(ca.caCert(), strangerDir.resolve(registry.host()).resolve("registry-ca.crt"));
            stranger.clientPair(strangerDir.resolve(registry.host()), "client");
            assertThatThrownBy(() -> push(settings(strangerDir), true, null, ref))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("TLS failure talking to " + registry.host())
                    .hasMessageContaining("the registry wants a client certificate it trusts");

            // client.cert + client.key beside ca.crt: verified both ways.
            ca.clientPair(certsDir.resolve(registry.host()), "client");
            Pusher.Result pushed = push(settings(certsDir), true, null, ref);
            Puller.Result pulled = pull(settings(certsDir), true, null, ref, tmp.resolve("root"));
            assertThat(pulled.manifestDigest()).isEqualTo(pushed.manifestDigest());
            // Also with verification off (the client certificate is still presented).
            try (RegistryClient client = RegistryClient.connect(registry.host(), false, null, settings(certsDir), Retry.DEFAULT)) {
                assertThat(client.baseUri().getScheme()).isEqualTo("https");
            }

            // A key without its certificate is a clear error, not a silent anonymous handshake.
            Files.move(certsDir.resolve(registry.host()).resolve("client.cert"), tmp.resolve("moved.cert"));
            assertThatThrownBy(() -> push(settings(certsDir), true, null, ref))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("client key " + certsDir.resolve(registry.host()).resolve("client.key"))
                    .hasMessageContaining("has no certificate client.cert");
        }
    }

    @Test
    void plainHttpNeedsTlsVerifyFalse() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"))) {
            assertThatThrownBy(() -> RegistryClient.connect(registry.host(), true, null, settings(null), Retry.DEFAULT))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("--tls-verify=false");
            try (RegistryClient client = RegistryClient.connect(registry.host(), false, null, settings(null), Retry.DEFAULT)) {
                assertThat(client.baseUri().getScheme()).isEqualTo("http");
            }
            RegistrySettings insecure = new RegistrySettings(tmp.resolve("auth.json"), List.of(), List.of(registry.host()));
            try (RegistryClient client = RegistryClient.connect(registry.host(), true, null, insecure, Retry.DEFAULT)) {
                assertThat(client.baseUri().getScheme()).isEqualTo("http");
            }
            // Listed as insecure in a registries.conf (v2 form).
            Path conf = Files.writeString(tmp.resolve("registries.conf"),
                    "[[registry]]\nlocation = \"" + registry.host() + "\"\ninsecure = true\n");
            RegistrySettings configured = new RegistrySettings(tmp.resolve("auth.json"), List.of(), List.of(), conf, List.of());
            try (RegistryClient client = RegistryClient.connect(registry.host(), true, null, configured, Retry.DEFAULT)) {
                assertThat(client.baseUri().getScheme()).isEqualTo("http");
            }
        }
    }

    @Test
    void basicAuthWithHtpasswd() throws Exception {
        Tools.require("htpasswd");
        Path htpasswd = tmp.resolve("htpasswd");
        Tools.run("htpasswd", "-B", "-b", "-c", htpasswd.toString(), "alice", "s3cret");
        RegistryServer.Config config = new RegistryServer.Config();
        config.htpasswd = htpasswd.toString();
        try (RegistryServer registry = RegistryServer.start(tmp.resolve("registry"), config)) {
            String ref = registry.host() + "/private/app:1";
            assertThatThrownBy(() -> push(settings(null), false, null, ref))
                    .isInstanceOf(RegistryException.class).hasMessageStartingWith("unauthorized")
                    .hasMessageContaining("vessel login " + registry.host());
            assertThatThrownBy(() -> push(settings(null), false, new Credentials("alice", "wrong"), ref))
                    .isInstanceOf(RegistryException.class).hasMessageStartingWith("unauthorized")
                    .satisfies(e -> assertThat(((RegistryException) e).kind()).isEqualTo(RegistryException.Kind.UNAUTHORIZED));
            push(settings(null), false, new Credentials("alice", "s3cret"), ref);
            // Credentials from the credentials file are used when none are given.
            new AuthFile(tmp.resolve("auth.json")).store(registry.host(), new Credentials("alice", "s3cret"));
            assertThat(pull(settings(null), false, null, ref, tmp.resolve("root")).image()).isNotNull();
            try (RegistryClient client = RegistryClient.connect(registry.host(), false, new Credentials("alice", "s3cret"), settings(null), Retry.DEFAULT)) {
                client.verifyLogin();
            }
            try (RegistryClient client = RegistryClient.connect(registry.host(), false, new Credentials("alice", "nope"), settings(null), Retry.DEFAULT)) {
                assertThatThrownBy(client::verifyLogin).isInstanceOf(RegistryException.class).hasMessageStartingWith("unauthorized");
            }
        }
    }

    @Test
    void bearerTokenFlowWithTokensReusedPerScope() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token"), "bob", "hunter2");
             RegistryServer registry = RegistryServer.start(tmp.resolve("registry"), tokens.registryConfig())) {
            String ref = registry.host() + "/team/app:1";
            Credentials bob = new Credentials("bob", "hunter2");
            Pusher.Result pushed = push(settings(null), false, bob, ref);
            assertThat(pushed.uploaded()).isEqualTo(3);
            // One token for the push scope, reused for every HEAD, upload and the manifest.
            assertThat(tokens.requests).filteredOn(q -> q.contains("scope=repository:team/app:pull,push")).hasSize(1);

            // Anonymous pulls get a pull-only token.
            Puller.Result pulled = pull(settings(null), false, null, ref, tmp.resolve("root"));
            assertThat(pulled.manifestDigest()).isEqualTo(pushed.manifestDigest());

            // Anonymous push is refused by the registry; a wrong password by the token service.
            assertThatThrownBy(() -> push(settings(null), false, null, registry.host() + "/team/other:1"))
                    .isInstanceOf(RegistryException.class).hasMessageStartingWith("unauthorized");
            assertThatThrownBy(() -> push(settings(null), false, new Credentials("bob", "wrong"), ref))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("unauthorized")
                    .hasMessageContaining("rejected the user name or password for bob");
            try (RegistryClient client = RegistryClient.connect(registry.host(), false, bob, settings(null), Retry.DEFAULT)) {
                client.verifyLogin();
            }
        }
    }
}
