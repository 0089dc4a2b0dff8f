package dev.vessel.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob being downloaded: reads through dropped connections by asking again from the current
 * offset (Range; or skipping when the server ignores Range), checks the size, and checks the
 * digest when the last byte has been read.
 */
final class BlobInput extends InputStream {
    private final RegistryClient client;
    private final String repository;
    private final String digest;
    private final long size;
    private final MessageDigest hasher;
    private final TransferListener listener;
    private InputStream current;
    private long position;
    private int failures;
    private boolean done;

    BlobInput(RegistryClient client, String repository, String digest, long size, boolean verify, TransferListener listener) throws IOException {
        this.client = client;
        this.repository = repository;
        this.digest = digest;
        this.size = size;
        this.hasher = verify ? Digests.hasherFor(digest) : null;
        this.listener = listener;
        open();
    }

    private void open() throws IOException {
        HttpTransport.Reply response = client.getBlob(repository, digest, position);
        InputStream body = response.body();
        if (position > 0 && response.status() == 200) {
            // The server ignored Range: skip what we already have.
            long skipped = skip(body, position);
            if (skipped < position) {
                body.close();
                throw new IOException("blob " + digest + " ended early on re-read");
            }
        } else if (response.status() == 206) {
            String range = response.header("Content-Range").orElse("");
            if (!range.startsWith("bytes " + position + "-")) {
                body.close();
                throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + client.registry()
                        + " answered a range request for blob " + digest + " with the wrong range \"" + range + "\"");
            }
        }
        current = body;
    }

    private static long skip(InputStream in, long count) throws IOException {
        long left = count;
        byte[] scratch = new byte[64 << 10];
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                break;
            }
            left -= n;
        }
        return count - left;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        while (true) {
            try {
                if (current == null) {
                    open();
                }
                int n = current.read(buffer, offset, length);
                if (n < 0) {
                    if (size >= 0 && position < size) {
                        throw new IOException("connection closed after " + position + " of " + size + " bytes");
                    }
                    finish();
                    return -1;
                }
                if (size >= 0 && position + n > size) {
                    throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "blob " + digest + " from "
                            + client.registry() + "/" + repository + " is longer than its " + size + " bytes");
                }
                if (hasher != null) {
                    hasher.update(buffer, offset, n);
                }
                position += n;
                listener.progressed(digest, position);
                return n;
            } catch (RegistryException e) {
                closeCurrent();
                throw e;
            } catch (IOException e) {
                closeCurrent();
                failures++;
                if (failures >= client.retry().attempts()) {
                    throw new RegistryException(RegistryException.Kind.UNREACHABLE, "downloading blob " + digest + " from "
                            + client.registry() + "/" + repository + " failed after " + failures + " attempts: "
                            + RegistryClient.describe(e), e);
                }
                listener.retrying(digest, RegistryClient.describe(e));
                client.retry().sleep(failures, null);
            }
        }
    }

    private void finish() throws IOException {
        done = true;
        closeCurrent();
        if (hasher != null) {
            String actual = Digests.finish(digest, hasher);
            if (!actual.equals(digest)) {
                throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "digest mismatch: blob " + digest + " from "
                        + client.registry() + "/" + repository + " has content with digest " + actual);
            }
        }
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // the connection is gone anyway
            }
            current = null;
        }
    }

    @Override
    public void close() {
        done = true;
        closeCurrent();
    }
}
