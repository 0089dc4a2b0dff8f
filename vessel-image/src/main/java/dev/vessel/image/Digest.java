package dev.vessel.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A content digest such as {@code sha256:9f86d0...}; only sha256 is accepted (as Docker). */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
    private static final int SMALL = 64 * 1024;
    /** Up to here SmallSha256, which runs interpreted in a short command: 256 blocks take a few ms. */
    private static final int TINY = 16 * 1024;

    public Digest {
        if (!"sha256".equals(algorithm)) {
            throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
        }
        if (!SHA256_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("invalid sha256 digest: " + hex);
        }
    }

    /** Parses {@code sha256:<64 hex>}; throws IllegalArgumentException with a one-line message. */
    @JsonCreator
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("invalid digest (expected sha256:<64 hex digits>): " + text);
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** True when text is a well-formed sha256 digest. */
    public static boolean isDigest(String text) {
        return text.startsWith("sha256:") && SHA256_HEX.matcher(text.substring(7)).matches();
    }

    public static Digest ofHex(String hex) {
        return new Digest("sha256", hex);
    }

    public static Digest of(byte[] content) {
        if (content.length < TINY) {
            // a manifest, a config, a chain ID: hashed before the JDK's providers would have registered
            return fromBytes(dev.vessel.os.SmallSha256.digest(content));
        }
        if (content.length < SMALL) {
            try {
                // The JDK's own, interpreted, hashes a small blob sooner than libcrypto loads.
                return fromBytes(MessageDigest.getInstance("SHA-256").digest(content));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }
        return fromBytes(newSha256().digest(content));
    }

    public static Digest of(String content) {
        return of(content.getBytes(StandardCharsets.UTF_8));
    }

    public static Digest fromBytes(byte[] sha256) {
        return ofHex(HexFormat.of().formatHex(sha256));
    }

    /** A SHA-256 hasher (libcrypto's through FFM when present: see {@link dev.vessel.os.NativeSha256}). */
    public static MessageDigest newSha256() {
        return dev.vessel.os.NativeSha256.create();
    }

    /** The first 12 hex digits, as Docker shows image IDs. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    // Written out: a record's generated equals and hashCode are bootstrapped through method
    // handles on first use, which costs every command several milliseconds.
    @Override
    public boolean equals(Object other) {
        return other instanceof Digest d && algorithm.equals(d.algorithm) && hex.equals(d.hex);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + hex.hashCode();
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }
}
