package dev.vessel.os.json;

import java.io.IOException;

/** A document that is not JSON: what is wrong, and where (1-based line and column). */
public final class InvalidJsonException extends IOException {
    private final String reason;
    private final int line;
    private final int column;

    public InvalidJsonException(String reason, int line, int column) {
        super(reason + " (line " + line + ", column " + column + ")");
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    /** The message without the location. */
    public String reason() {
        return reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
