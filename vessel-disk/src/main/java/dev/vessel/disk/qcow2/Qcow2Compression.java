package dev.vessel.disk.qcow2;

import dev.vessel.disk.DiskException;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Compressed clusters as QEMU stores them: raw deflate (type 0) or a zstd frame (type 1). */
final class Qcow2Compression {
    private final int type;
    private final int cs;
    private final Inflater inflater = new Inflater(true);
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private byte[] out;

    Qcow2Compression(int type, int cs) {
        this.type = type;
        this.cs = cs;
    }

    void decompress(byte[] in, int len, byte[] cluster, Path file) throws IOException {
        try {
            if (type == 0) {
                inflater.reset();
                inflater.setInput(in, 0, len);
                int got = 0;
                while (got < cs) {
                    int n = inflater.inflate(cluster, got, cs - got);
                    if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    got += n;
                }
                if (got != cs) {
                    throw new DiskException(file + ": compressed cluster decompresses to " + got + " bytes, not "
                            + cs + " (image corrupt)");
                }
            } else {
                try (InputStream z = new ZstdInputStream(new ByteArrayInputStream(in, 0, len))) {
                    int got = z.readNBytes(cluster, 0, cs);
                    if (got != cs) {
                        throw new DiskException(file + ": zstd cluster decompresses to " + got + " bytes (image corrupt)");
                    }
                }
            }
        } catch (DataFormatException | RuntimeException e) {
            throw new DiskException(file + ": cannot decompress a compressed cluster (image corrupt): " + e.getMessage());
        }
    }

    /** The compressed form of a cluster, or null when it does not save space. */
    byte[] compress(byte[] data, int len) {
        if (out == null) {
            out = new byte[cs + cs / 2 + 1024];
        }
        int n;
        if (type == 0) {
            deflater.reset();
            deflater.setInput(data, 0, len);
            deflater.finish();
            n = 0;
            while (!deflater.finished() && n < out.length) {
                n += deflater.deflate(out, n, out.length - n);
            }
            if (!deflater.finished()) {
                return null;
            }
        } else {
            ZstdCompressor z = new ZstdCompressor();
            n = z.compress(data, 0, len, out, 0, out.length);
        }
        if (n >= cs - 512) {
            return null;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
