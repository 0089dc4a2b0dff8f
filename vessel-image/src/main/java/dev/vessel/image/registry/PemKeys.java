package dev.vessel.image.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted PEM private key in the three forms that Docker's (Go's) TLS loader
 * accepts and openssl writes: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY})
 * and SEC1 ({@code EC PRIVATE KEY}). The JDK reads only PKCS#8, so the other two are wrapped in
 * a PKCS#8 envelope first (a few DER bytes: version, algorithm identifier, the key as an octet
 * string).
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500"); // rsaEncryption, NULL
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");  // id-ecPublicKey

    private PemKeys() {
    }

    static PrivateKey read(Path file) throws IOException {
        Matcher block = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (block.find()) {
            String type = block.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue; // e.g. the EC PARAMETERS block `openssl ecparam -genkey` writes first
            }
            if (type.equals("ENCRYPTED PRIVATE KEY") || block.group(2).contains("ENCRYPTED")) {
                throw new IOException("private key " + file + " is encrypted; give an unencrypted key (openssl pkey -in KEY -out KEY)");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(2));
            } catch (IllegalArgumentException e) {
                throw new IOException("private key " + file + " is not valid PEM (bad base64)");
            }
            try {
                return switch (type) {
                    case "PRIVATE KEY" -> pkcs8(der);
                    case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(
                            new PKCS8EncodedKeySpec(sequence(integerZero(), RSA_ALGORITHM, octetString(der))));
                    case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(
                            new PKCS8EncodedKeySpec(sequence(integerZero(), sequence(EC_PUBLIC_KEY_OID, curveOf(der)), octetString(der))));
                    default -> throw new IOException("private key " + file + " has an unsupported type \"" + type + "\"");
                };
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException("cannot read private key " + file + ": " + RegistryClient.describe(e), e);
            }
        }
        throw new IOException("no PEM private key in " + file);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * The named curve's OID in a SEC1 ECPrivateKey: SEQUENCE { version, privateKey OCTET STRING,
     * [0] parameters (the OID) OPTIONAL, [1] publicKey OPTIONAL }.
     */
    private static byte[] curveOf(byte[] sec1) {
        Der outer = new Der(sec1, 0);
        if (outer.tag != 0x30) {
            throw new IllegalArgumentException("EC key is not a DER sequence");
        }
        int at = outer.contentStart;
        while (at < outer.end) {
            Der element = new Der(sec1, at);
            if (element.tag == 0xa0) {
                Der oid = new Der(sec1, element.contentStart);
                if (oid.tag != 0x06) {
                    throw new IllegalArgumentException("EC key parameters are not a named curve");
                }
                return java.util.Arrays.copyOfRange(sec1, element.contentStart, oid.end);
            }
            at = element.end;
        }
        throw new IllegalArgumentException("EC key names no curve (write it as PKCS#8: openssl pkey -in KEY -out KEY)");
    }

    /** One DER element's header: tag, where its content starts, where it ends. */
    private static final class Der {
        final int tag;
        final int contentStart;
        final int end;

        Der(byte[] bytes, int offset) {
            if (offset + 2 > bytes.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            tag = bytes[offset] & 0xff;
            int first = bytes[offset + 1] & 0xff;
            int length;
            int start = offset + 2;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 3 || start + count > bytes.length) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[start + i] & 0xff);
                }
                start += count;
            }
            if (start + length > bytes.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            contentStart = start;
            end = start + length;
        }
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] octetString(byte[] content) {
        return element(0x04, content);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return element(0x30, content.toByteArray());
    }

    private static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
