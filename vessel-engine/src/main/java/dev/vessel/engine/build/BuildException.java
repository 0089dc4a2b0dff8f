package dev.vessel.engine.build;

import java.io.IOException;

/** A build that failed at an instruction: the message names the line and the instruction. */
public final class BuildException extends IOException {
    private final int status;

    public BuildException(String message) {
        this(message, 1);
    }

    public BuildException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The exit status `vessel build` ends with. */
    public int status() {
        return status;
    }
}
