package dev.vessel.vm.qmp;

import java.io.IOException;

/** QEMU answered a QMP command with an error, or the monitor connection failed. */
public final class QmpException extends IOException {
    private final String errorClass;

    public QmpException(String message) {
        this(null, message);
    }

    public QmpException(String errorClass, String message) {
        super(message);
        this.errorClass = errorClass;
    }

    /** QMP's error class (GenericError, CommandNotFound, ...), or null for a connection failure. */
    public String errorClass() {
        return errorClass;
    }
}
