package dev.vessel.runtime;

/** A runtime failure with the exit status the command should end with (126, 127, 1...). */
public final class OciException extends RuntimeException {
    private final int status;

    public OciException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
