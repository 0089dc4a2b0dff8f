package dev.vessel.image.registry;

import java.io.IOException;

/**
 * A registry operation that failed for a reason the user can act on; the message is one
 * self-contained line naming the registry, repository or blob involved.
 */
public class RegistryException extends IOException {
    /** What kind of failure, so callers (and tests) need not parse messages. */
    public enum Kind { UNAUTHORIZED, DENIED, NOT_FOUND, DIGEST_MISMATCH, UNSUPPORTED, PROTOCOL, UNREACHABLE, UNAVAILABLE }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
