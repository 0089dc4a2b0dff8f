package dev.vessel.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The record the native helper applies: a tag followed by its fields, each a NUL-terminated
 * string, in the order the helper must act (see vessel-helper.c for the tags and their fields).
 */
public final class Plan {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);

    public Plan add(String tag, Object... fields) {
        put(tag);
        for (Object field : fields) {
            put(String.valueOf(field));
        }
        return this;
    }

    private void put(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character in " + s.replace('\0', '?'));
        }
        bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        bytes.write(0);
    }

    /** Length-prefixed (4 bytes, little endian) as the helper reads it. */
    public byte[] encode() {
        byte[] body = bytes.toByteArray();
        byte[] out = new byte[body.length + 4];
        out[0] = (byte) body.length;
        out[1] = (byte) (body.length >>> 8);
        out[2] = (byte) (body.length >>> 16);
        out[3] = (byte) (body.length >>> 24);
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }
}
