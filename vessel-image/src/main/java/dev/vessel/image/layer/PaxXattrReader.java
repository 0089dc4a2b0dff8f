package dev.vessel.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sits under commons-compress's tar reader and keeps the {@code SCHILY.xattr.*} records of PAX
 * headers as raw bytes: commons-compress decodes PAX values as UTF-8, which mangles binary
 * extended attributes such as {@code security.capability}. It follows the tar's 512-byte block
 * structure as the bytes pass, and queues one map per file entry, in order.
 */
final class PaxXattrReader extends FilterInputStream {
    private static final String XATTR = "SCHILY.xattr.";
    private static final int BLOCK = 512;
    /** Bounds what one PAX header may make us hold. */
    private static final long MAX_PAX = 1 << 20;

    private final byte[] header = new byte[BLOCK];
    private int headerFilled;
    private long dataLeft;
    private ByteArrayOutputStream paxData;
    private long paxSize;
    private Map<String, byte[]> pending;
    private final Deque<Map<String, byte[]>> entries = new ArrayDeque<>();

    PaxXattrReader(InputStream in) {
        super(in);
    }

    /** The raw extended attributes of the next file entry the tar reader returned (empty when none). */
    Map<String, byte[]> nextEntry() {
        Map<String, byte[]> next = entries.pollFirst();
        return next == null ? Map.of() : next;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            track(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            track(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long count) throws IOException {
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < count) {
            int n = read(scratch, 0, (int) Math.min(scratch.length, count - skipped));
            if (n < 0) {
                break;
            }
            skipped += n;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void track(byte[] bytes, int offset, int length) throws IOException {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (dataLeft > 0) {
                int take = (int) Math.min(dataLeft, end - i);
                if (paxData != null && paxData.size() < paxSize) {
                    paxData.write(bytes, i, (int) Math.min(take, paxSize - paxData.size()));
                }
                dataLeft -= take;
                i += take;
                if (dataLeft == 0 && paxData != null) {
                    pending = parseXattrs(paxData.toByteArray());
                    paxData = null;
                }
                continue;
            }
            int take = Math.min(BLOCK - headerFilled, end - i);
            System.arraycopy(bytes, i, header, headerFilled, take);
            headerFilled += take;
            i += take;
            if (headerFilled == BLOCK) {
                headerFilled = 0;
                onHeader();
            }
        }
    }

    private void onHeader() throws IOException {
        if (isZero(header)) {
            return;
        }
        long size = size(header);
        dataLeft = (size + BLOCK - 1) / BLOCK * BLOCK;
        switch ((char) header[156]) {
            case 'x' -> {
                if (size > MAX_PAX) {
                    throw new IOException("a PAX header of " + size + " bytes is too large");
                }
                paxSize = size;
                paxData = new ByteArrayOutputStream((int) size);
                if (dataLeft == 0) {
                    pending = Map.of();
                    paxData = null;
                }
            }
            case 'g', 'L', 'K' -> { }
            default -> {
                entries.addLast(pending == null ? Map.of() : pending);
                pending = null;
            }
        }
    }

    /** PAX records: "LENGTH KEY=VALUE\n", LENGTH counting the whole record in bytes. */
    static Map<String, byte[]> parseXattrs(byte[] data) {
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        int at = 0;
        while (at < data.length) {
            int space = at;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                break;
            }
            int recordEnd = at + length;
            if (length <= 0 || recordEnd > data.length || space >= recordEnd) {
                break;
            }
            int equals = space + 1;
            while (equals < recordEnd && data[equals] != '=') {
                equals++;
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            if (key.startsWith(XATTR) && equals < recordEnd - 1) {
                byte[] value = new byte[recordEnd - 1 - (equals + 1)];
                System.arraycopy(data, equals + 1, value, 0, value.length);
                xattrs.put(key.substring(XATTR.length()), value);
            }
            at = recordEnd;
        }
        return xattrs;
    }

    /** The size field: octal text, or base-256 when its first byte has the high bit set. */
    private static long size(byte[] block) {
        if ((block[124] & 0x80) != 0) {
            long value = 0;
            for (int i = 125; i < 136; i++) {
                value = value << 8 | (block[i] & 0xff);
            }
            return value;
        }
        long value = 0;
        boolean digits = false;
        for (int i = 124; i < 136; i++) {
            byte b = block[i];
            if (b >= '0' && b <= '7') {
                value = value * 8 + (b - '0');
                digits = true;
            } else if (digits || b != ' ' && b != 0) {
                break;
            }
        }
        return value;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
