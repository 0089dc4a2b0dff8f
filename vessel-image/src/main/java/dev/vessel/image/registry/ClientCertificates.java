package dev.vessel.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * The client certificates for mutual TLS with one registry, as Docker and Podman find them in
 * {@code <certs.d>/HOST:PORT/}: every {@code NAME.cert} (a PEM chain, the client's certificate
 * first) with its {@code NAME.key}. A certificate without its key, or a key without its
 * certificate, is an error (as in Docker), so a half-copied pair is not silently ignored.
 */
final class ClientCertificates {
    /** The in-memory key store protects its entries with some password; this one never leaves the process. */
    private static final char[] STORE_PASSWORD = "vessel".toCharArray();

    private ClientCertificates() {
    }

    /** Key managers presenting the registry's client certificates; null when it has none. */
    static KeyManager[] keyManagers(String registry, List<Path> certsDirs) throws IOException {
        try {
            KeyStore store = null;
            int count = 0;
            for (Path base : certsDirs) {
                Path dir = base.resolve(registry);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                for (Path cert : pairedFiles(dir)) {
                    if (store == null) {
                        store = KeyStore.getInstance("PKCS12");
                        store.load(null, null);
                    }
                    Path key = sibling(cert, ".key");
                    PrivateKey privateKey = PemKeys.read(key);
                    store.setKeyEntry("client-" + count++, privateKey, STORE_PASSWORD, chain(cert));
                }
            }
            if (store == null) {
                return null;
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, STORE_PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the client certificates for " + registry + ": " + RegistryClient.describe(e), e);
        }
    }

    /** The *.cert files of a directory, each checked to have its *.key (and every *.key its *.cert). */
    private static List<Path> pairedFiles(Path dir) throws IOException {
        TreeSet<Path> certs = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{cert,key}")) {
            for (Path file : files) {
                boolean isCert = file.getFileName().toString().endsWith(".cert");
                Path other = sibling(file, isCert ? ".key" : ".cert");
                if (!Files.isRegularFile(other)) {
                    throw new IOException((isCert ? "client certificate " + file + " has no key " : "client key " + file
                            + " has no certificate ") + other.getFileName() + " beside it");
                }
                certs.add(isCert ? file : other);
            }
        }
        return new ArrayList<>(certs);
    }

    private static Path sibling(Path file, String extension) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + extension);
    }

    private static Certificate[] chain(Path cert) throws IOException {
        try (InputStream in = Files.newInputStream(cert)) {
            Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
            if (chain.length == 0) {
                throw new IOException("no certificate in " + cert);
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException("cannot read client certificate " + cert + ": " + RegistryClient.describe(e), e);
        }
    }
}
