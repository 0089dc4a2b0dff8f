package dev.vessel.image.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes through and reports the running count to a listener (upload progress). */
final class CountingInput extends FilterInputStream {
    private final String digest;
    private final TransferListener listener;
    private long count;

    CountingInput(InputStream in, String digest, TransferListener listener) {
        super(in);
        this.digest = digest;
        this.listener = listener;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            listener.progressed(digest, ++count);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count += n;
            listener.progressed(digest, count);
        }
        return n;
    }
}
