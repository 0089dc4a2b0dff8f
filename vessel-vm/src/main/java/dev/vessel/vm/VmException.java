package dev.vessel.vm;

/** A VM operation failed for a reason the user can act on; the message is one self-contained line. */
public class VmException extends RuntimeException {
    public VmException(String message) {
        super(message);
    }

    public VmException(String message, Throwable cause) {
        super(message, cause);
    }
}
