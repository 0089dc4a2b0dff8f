package dev.vessel.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What is mounted, from /proc/self/mountinfo: a plain file read, no native call. */
public final class MountTable {
    private MountTable() {
    }

    /** Whether a directory is a mount point now (from /proc/self/mountinfo). */
    public static boolean isMountPoint(Path target) throws IOException {
        String wanted = target.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && unescape(fields[4]).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    public static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
