package dev.vessel.image.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small helpers for {@code algorithm:hex} content digests. */
final class Digests {
    private Digests() {
    }

    static MessageDigest hasherFor(String digest) throws RegistryException {
        String algorithm = switch (digest.substring(0, Math.max(0, digest.indexOf(':')))) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new RegistryException(RegistryException.Kind.UNSUPPORTED, "unsupported digest algorithm in " + digest);
        };
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String finish(String like, MessageDigest hasher) {
        return like.substring(0, like.indexOf(':') + 1) + HexFormat.of().formatHex(hasher.digest());
    }

    static String of(String like, byte[] bytes) throws RegistryException {
        MessageDigest hasher = hasherFor(like);
        hasher.update(bytes);
        return finish(like, hasher);
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean valid(String digest) {
        return digest != null && digest.matches("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
    }
}
