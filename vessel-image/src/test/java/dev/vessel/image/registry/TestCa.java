package dev.vessel.image.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A throw-away CA and a server certificate for 127.0.0.1 and localhost, made with openssl. */
record TestCa(Path caCert, Path caKey, Path serverCert, Path serverKey) {
    static TestCa create(Path dir) throws IOException, InterruptedException {
        Tools.require("openssl");
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.crt");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.crt");
        Path ext = dir.resolve("ext.cnf");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n");
        Tools.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2", "-subj", "/CN=Vessel Test CA");
        Tools.run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=127.0.0.1");
        Tools.run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        return new TestCa(caCert, caKey, cert, key);
    }

    /**
     * A client certificate (extendedKeyUsage clientAuth) signed by this CA, written as
     * {@code NAME.cert} and {@code NAME.key} (PKCS#8, as openssl 3 writes keys) into {@code dir}.
     */
    void clientPair(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(caCert.getParent(), "client");
        Path ext = work.resolve("ext.cnf");
        Files.writeString(ext, "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
        Tools.run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve(name + ".key").toString(), "-out", work.resolve("c.csr").toString(), "-subj", "/CN=vessel-client");
        Tools.run("openssl", "x509", "-req", "-in", work.resolve("c.csr").toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", dir.resolve(name + ".cert").toString(), "-days", "2", "-extfile", ext.toString());
    }

    /** A certs.d tree with this CA for {@code registry} (host:port), as Docker and Podman read it. */
    Path certsDir(Path base, String registry) throws IOException {
        Path dir = Files.createDirectories(base.resolve(registry));
        Files.copy(caCert, dir.resolve("ca.crt"));
        return base;
    }
}
