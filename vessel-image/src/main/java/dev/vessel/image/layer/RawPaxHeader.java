package dev.vessel.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes an entry with extended attributes behind a PAX header made here, so that
 * {@code SCHILY.xattr.*} values go out byte for byte (commons-compress encodes PAX values as UTF-8
 * text, which mangles binary values such as {@code security.capability}). The header carries every
 * PAX record the entry needs (path, linkpath, mtime with nanoseconds, the attributes), and the entry
 * itself is then written so that commons-compress adds no second header of its own: a name cut to
 * the ustar field, numbers too big for it in star's binary form.
 */
final class RawPaxHeader {
    private static final int NAME_FIELD = TarConstants.NAMELEN;

    private RawPaxHeader() {
    }

    static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, Map<String, byte[]> xattrs) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        String name = entry.getName();
        if (!fitsField(name)) {
            records.put("path", name.getBytes(StandardCharsets.UTF_8));
            entry.setName(ascii(name));
        }
        String link = entry.getLinkName();
        if (link != null && !link.isEmpty() && !fitsField(link)) {
            records.put("linkpath", link.getBytes(StandardCharsets.UTF_8));
            entry.setLinkName(ascii(link));
        }
        Instant mtime = entry.getLastModifiedTime().toInstant();
        if (mtime.getNano() != 0 || mtime.getEpochSecond() < 0) {
            records.put("mtime", String.format("%d.%09d", mtime.getEpochSecond(), mtime.getNano())
                    .getBytes(StandardCharsets.US_ASCII));
        }
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            records.put("SCHILY.xattr." + xattr.getKey(), xattr.getValue());
        }
        byte[] data = encode(records);
        TarArchiveEntry header = new TarArchiveEntry("PaxHeaders.0/" + ascii(baseName(name)).replaceAll("^(.{0,80}).*$", "$1"),
                TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        header.setSize(data.length);
        header.setMode(0100644);
        header.setModTime(java.nio.file.attribute.FileTime.from(Math.max(0, mtime.getEpochSecond()),
                java.util.concurrent.TimeUnit.SECONDS));
        // Star's binary numbers, not POSIX ones: POSIX mode would add a header of its own for the mtime.
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
        try {
            tar.putArchiveEntry(header);
            tar.write(data);
            tar.closeArchiveEntry();
            tar.putArchiveEntry(entry);
        } finally {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }
    }

    /** PAX records: "LENGTH KEY=VALUE\n", LENGTH counting itself; values raw. */
    static byte[] encode(Map<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
            int rest = 1 + key.length + 1 + record.getValue().length + 1; // ' ' key '=' value '\n'
            int length = rest + Integer.toString(rest).length();
            if (Integer.toString(length).length() != Integer.toString(rest).length()) {
                length++; // the length's own digits carried it past a power of ten
            }
            out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(key);
            out.write('=');
            out.writeBytes(record.getValue());
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static boolean fitsField(String name) {
        return name.length() < NAME_FIELD && name.chars().allMatch(c -> c > 0 && c < 0x80);
    }

    /** A stand-in for the ustar field (readers take the PAX path): ASCII, cut to fit. */
    private static String ascii(String name) {
        String plain = name.replaceAll("[^\\x20-\\x7e]", "_");
        return plain.length() < NAME_FIELD ? plain : plain.substring(0, NAME_FIELD - 1);
    }

    private static String baseName(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
