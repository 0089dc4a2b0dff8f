package dev.vessel.cli;

/** A failure to report to the user as one line, with the exit status the command ends with. */
public class VesselException extends RuntimeException {
    /** Docker's status for an error of the engine itself. */
    public static final int ENGINE_ERROR = 125;

    private final int exitCode;

    public VesselException(String message) {
        this(ENGINE_ERROR, message);
    }

    public VesselException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
