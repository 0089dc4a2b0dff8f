package dev.vessel.disk.qcow2;

import dev.vessel.disk.DiskException;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Compressed clusters as QEMU stores them: raw deflate (type 0) or a zstd frame (type 1). */
final class Qcow2Compression {
    private final int type;
    private final int cs;
    // Made on first use: zlib's state is large and most opened images are never compressed.
    private Inflater inflater;
    private Deflater deflater;
    private byte[] out;

    Qcow2Compression(int type, int cs) {
        this.type = type;
        this.cs = cs;
    }

    void decompress(byte[] in, int len, byte[] cluster, Path file) throws IOException {
        try {
            if (type == 0) {
                if (inflater == null) {
                    inflater = new Inflater(true);
                }
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
                int frame = zstdFrameLength(in, len);
                int got = new ZstdDecompressor().decompress(in, 0, frame, cluster, 0, cs);
                if (got != cs) {
                    throw new DiskException(file + ": zstd cluster decompresses to " + got + " bytes (image corrupt)");
                }
            }
        } catch (DataFormatException | RuntimeException e) {
            throw new DiskException(file + ": cannot decompress a compressed cluster (image corrupt): " + e.getMessage());
        }
    }

    /**
     * The length of the zstd frame at the start of in: the stored compressed size is rounded up to
     * sectors, and the bytes after the frame are not ours.
     */
    static int zstdFrameLength(byte[] in, int len) throws DiskException {
        if (len < 6 || (in[0] & 0xff) != 0x28 || (in[1] & 0xff) != 0xb5 || (in[2] & 0xff) != 0x2f
                || (in[3] & 0xff) != 0xfd) {
            throw new DiskException("not a zstd frame");
        }
        int fhd = in[4] & 0xff;
        int fcsFlag = fhd >>> 6;
        boolean single = (fhd & 0x20) != 0;
        boolean checksum = (fhd & 0x04) != 0;
        int dictFlag = fhd & 3;
        int pos = 5 + (single ? 0 : 1) + new int[] {0, 1, 2, 4}[dictFlag]
                + new int[] {single ? 1 : 0, 2, 4, 8}[fcsFlag];
        for (;;) {
            if (pos + 3 > len) {
                throw new DiskException("truncated zstd frame");
            }
            int bh = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8 | (in[pos + 2] & 0xff) << 16;
            boolean last = (bh & 1) != 0;
            int type = (bh >>> 1) & 3;
            int size = bh >>> 3;
            pos += 3 + (type == 1 ? 1 : size);
            if (type == 3 || pos > len) {
                throw new DiskException("bad zstd block");
            }
            if (last) {
                break;
            }
        }
        pos += checksum ? 4 : 0;
        if (pos > len) {
            throw new DiskException("truncated zstd frame");
        }
        return pos;
    }

    /** The compressed form of a cluster, or null when it does not save space. */
    byte[] compress(byte[] data, int len) {
        if (out == null) {
            out = new byte[cs + cs / 2 + 1024];
        }
        int n;
        if (type == 0) {
            if (deflater == null) {
                deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            }
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
