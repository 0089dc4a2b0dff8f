package dev.vessel.image.store;

import dev.vessel.image.Digest;
import dev.vessel.image.ImageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes everything read through it and, at end of stream, fails unless the content had the
 * expected digest (and size, when known), so a reader never silently accepts corrupt content.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final long expectedSize;
    private final String what;
    private final MessageDigest sha256 = Digest.newSha256();
    private long count;
    private boolean verified;

    /** @param expectedSize the size in bytes, or -1 when unknown */
    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            sha256.update((byte) b);
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else if (n > 0) {
            sha256.update(buffer, offset, n);
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 65536)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) throws ImageException {
        count += n;
        if (expectedSize >= 0 && count > expectedSize) {
            throw new ImageException(what + " " + expected + " is larger than its recorded size " + expectedSize);
        }
    }

    private void verify() throws ImageException {
        if (verified) {
            return;
        }
        verified = true;
        if (expectedSize >= 0 && count != expectedSize) {
            throw new ImageException(what + " " + expected + " is truncated: " + count + " of " + expectedSize + " bytes");
        }
        Digest actual = Digest.fromBytes(sha256.digest());
        if (!actual.equals(expected)) {
            throw new ImageException(what + " digest mismatch: expected " + expected + ", content has " + actual);
        }
    }

    /** Reads to the end (verifying); for callers that stop early but still want the check. */
    public void drainAndVerify() throws IOException {
        byte[] scratch = new byte[65536];
        while (read(scratch, 0, scratch.length) >= 0) {
            // keep hashing
        }
    }
}
