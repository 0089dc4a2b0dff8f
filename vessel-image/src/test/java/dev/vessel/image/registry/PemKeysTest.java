package dev.vessel.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys in the PEM forms openssl writes, read to the same key as openssl's PKCS#8 form. */
class PemKeysTest {
    @TempDir
    Path tmp;

    /** The key in PKCS#8 (as made) and in the traditional form ({@code openssl pkey -traditional}). */
    private void assertBothFormsRead(String algorithmOption, String traditionalHeader) throws Exception {
        Tools.require("openssl");
        Path pkcs8 = tmp.resolve("key.pem");
        Tools.run(("openssl genpkey " + algorithmOption + " -out " + pkcs8).split(" "));
        Path traditional = tmp.resolve("key-traditional.pem");
        Tools.run("openssl", "pkey", "-in", pkcs8.toString(), "-traditional", "-out", traditional.toString());
        assertThat(Files.readString(traditional)).contains("-----BEGIN " + traditionalHeader + "-----");
        PrivateKey expected = PemKeys.read(pkcs8);
        PrivateKey read = PemKeys.read(traditional);
        assertThat(read.getAlgorithm()).isEqualTo(expected.getAlgorithm());
        if (expected instanceof ECPrivateKey ec) {
            // SEC1 carries the curve inside the key too, so the encodings differ; the key is the same.
            assertThat(((ECPrivateKey) read).getS()).isEqualTo(ec.getS());
            assertThat(((ECPrivateKey) read).getParams().getOrder()).isEqualTo(ec.getParams().getOrder());
        } else {
            assertThat(read.getEncoded()).isEqualTo(expected.getEncoded());
        }
    }

    @Test
    void rsaAsPkcs8AndPkcs1() throws Exception {
        assertBothFormsRead("-algorithm RSA -pkeyopt rsa_keygen_bits:2048", "RSA PRIVATE KEY");
    }

    @Test
    void ecAsPkcs8AndSec1() throws Exception {
        assertBothFormsRead("-algorithm EC -pkeyopt ec_paramgen_curve:P-384", "EC PRIVATE KEY");
    }

    @Test
    void ecParametersBlockBeforeTheKeyIsSkipped() throws Exception {
        Tools.require("openssl");
        Path key = tmp.resolve("ec.pem");
        Files.writeString(key, Tools.run("openssl", "ecparam", "-name", "prime256v1", "-genkey"));
        assertThat(Files.readString(key)).contains("BEGIN EC PARAMETERS").contains("BEGIN EC PRIVATE KEY");
        assertThat(PemKeys.read(key).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void encryptedAndMissingKeysAreRefusedClearly() throws Exception {
        Tools.require("openssl");
        Path encrypted = tmp.resolve("enc.pem");
        Tools.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256",
                "-pass", "pass:x", "-out", encrypted.toString());
        assertThatThrownBy(() -> PemKeys.read(encrypted)).isInstanceOf(IOException.class).hasMessageContaining("is encrypted");
        Path empty = Files.writeString(tmp.resolve("none.pem"), "not a key\n");
        assertThatThrownBy(() -> PemKeys.read(empty)).isInstanceOf(IOException.class).hasMessageContaining("no PEM private key in");
    }
}
