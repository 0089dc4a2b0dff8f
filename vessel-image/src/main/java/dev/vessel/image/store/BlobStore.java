package dev.vessel.image.store;

import dev.vessel.image.Digest;
import dev.vessel.image.ImageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Content-addressed blobs in OCI layout form: {@code DIR/sha256/<hex>}, verified when read. */
public final class BlobStore {
    private final Path dir;

    public BlobStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path path(Digest digest) {
        return dir.resolve(digest.algorithm()).resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public long size(Digest digest) throws IOException {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + digest + " is missing from the store");
        }
    }

    /** Opens a blob; the stream fails at its end if the content does not match the digest. */
    public InputStream open(Digest digest) throws IOException {
        Path path = path(digest);
        try {
            return new VerifyingInputStream(Files.newInputStream(path), digest, Files.size(path), "blob");
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + digest + " is missing from the store");
        }
    }

    /** Reads a (small) blob whole, verified. */
    public byte[] read(Digest digest) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(path(digest));
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + digest + " is missing from the store");
        }
        Digest actual = Digest.of(content);
        if (!actual.equals(digest)) {
            throw new ImageException("blob " + digest + " is corrupt (its content has digest " + actual + ")");
        }
        return content;
    }
}
