package dev.vessel.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What is mounted, from /proc/self/mountinfo: a plain file read, no native call. */
public final class MountTable {
    private MountTable() {
    }

    /** Whether a directory is a mount point now (from /proc/self/mountinfo). */
    public static boolean isMountPoint(Path target) throws IOException {
        // read as bytes (ISO-8859-1 keeps each byte a char); the path compared as its UTF-8 bytes
        String wanted = new String(escape(target.toAbsolutePath().normalize().toString()).getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        String table = Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1);
        // the mount point is a line's fifth field; compared in place (a container start reads this
        // table several times, and splitting every line cost more than the read)
        for (int line = 0; line < table.length(); ) {
            int end = table.indexOf('\n', line);
            if (end < 0) {
                end = table.length();
            }
            int field = line;
            for (int i = 0; i < 4 && field >= 0; i++) {
                field = table.indexOf(' ', field);
                field = field < 0 || field >= end ? -1 : field + 1;
            }
            if (field >= 0 && field + wanted.length() < end && table.charAt(field + wanted.length()) == ' '
                    && table.startsWith(wanted, field)) {
                return true;
            }
            line = end + 1;
        }
        return false;
    }

    /** The octal escapes mountinfo writes for space, tab, newline and backslash. */
    static String escape(String path) {
        return path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    public static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
