package dev.vessel.image.build;

/** A Containerfile that cannot be built as written; the message names the line. */
public final class ContainerfileException extends RuntimeException {
    private final int line;

    public ContainerfileException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** The 1-based line of the instruction at fault, or 0 when no line applies. */
    public int line() {
        return line;
    }
}
