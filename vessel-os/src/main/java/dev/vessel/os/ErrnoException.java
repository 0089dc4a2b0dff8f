package dev.vessel.os;

import java.io.IOException;

/** A libc call failed; carries errno so callers can react to specific failures (ENOENT, EEXIST, ...). */
public final class ErrnoException extends IOException {
    private final int errno;

    public ErrnoException(String call, String subject, int errno) {
        super(call + (subject == null ? "" : " " + subject) + ": " + Libc.strerror(errno));
        this.errno = errno;
    }

    /** A failure whose message is already written (by a helper process, say). */
    public ErrnoException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
