package dev.vessel.engine.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code -u USER[:GROUP]} against the image's /etc/passwd and /etc/group as Docker
 * does: names or numbers, the user's primary group, and its supplementary groups.
 */
public final class UserResolver {
    /** The ids a container process runs as. */
    public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {
    }

    private final List<String[]> passwd;
    private final List<String[]> group;

    private UserResolver(List<String[]> passwd, List<String[]> group) {
        this.passwd = passwd;
        this.group = group;
    }

    /** Reads the database files of a root file system; missing files count as empty. */
    public static UserResolver forRoot(Path rootfs) throws IOException {
        return of(read(rootfs, "etc/passwd"), read(rootfs, "etc/group"));
    }

    /** From the files' texts; null is a missing file. */
    public static UserResolver of(String passwdText, String groupText) {
        return new UserResolver(parse(passwdText), parse(groupText));
    }

    /** A database file of a root file system (etc/passwd or etc/group), or null when it has none. */
    public static String read(Path rootfs, String file) throws IOException {
        Path path = RootfsPaths.resolve(rootfs, file);
        if (path == null || !Files.isRegularFile(path)) {
            return null;
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    private static List<String[]> parse(String text) {
        if (text == null) {
            return List.of();
        }
        List<String[]> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                entries.add(line.split(":", -1));
            }
        }
        return entries;
    }

    /** Resolves a USER[:GROUP] specification; empty means root. */
    public ResolvedUser resolve(String spec) {
        String userPart = spec == null || spec.isEmpty() ? "0" : spec;
        String groupPart = null;
        int colon = userPart.indexOf(':');
        if (colon >= 0) {
            groupPart = userPart.substring(colon + 1);
            userPart = userPart.substring(0, colon);
        }
        String[] user = find(passwd, userPart, 2);
        int uid;
        int gid = 0;
        String home = "/";
        String name = null;
        if (user != null && user.length >= 4) {
            uid = parseId(user[2], spec);
            gid = parseId(user[3], spec);
            home = user.length > 5 && !user[5].isEmpty() ? user[5] : "/";
            name = user[0];
        } else if (isNumber(userPart)) {
            uid = parseId(userPart, spec);
        } else {
            throw new IllegalArgumentException("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        List<Integer> additional = new ArrayList<>();
        if (groupPart != null && !groupPart.isEmpty()) {
            String[] groupEntry = find(group, groupPart, 2);
            if (groupEntry != null && groupEntry.length >= 3) {
                gid = parseId(groupEntry[2], spec);
            } else if (isNumber(groupPart)) {
                gid = parseId(groupPart, spec);
            } else {
                throw new IllegalArgumentException("unable to find group " + groupPart + ": no matching entries in group file");
            }
        } else if (name != null) {
            for (String[] entry : group) {
                if (entry.length >= 4 && List.of(entry[3].split(",")).contains(name)) {
                    int member = parseId(entry[2], spec);
                    if (member != gid && !additional.contains(member)) {
                        additional.add(member);
                    }
                }
            }
        }
        return new ResolvedUser(uid, gid, List.copyOf(additional), home);
    }

    private static String[] find(List<String[]> entries, String nameOrId, int idField) {
        for (String[] entry : entries) {
            if (entry[0].equals(nameOrId)) {
                return entry;
            }
        }
        if (isNumber(nameOrId)) {
            for (String[] entry : entries) {
                if (entry.length > idField && entry[idField].equals(nameOrId)) {
                    return entry;
                }
            }
        }
        return null;
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() < 11;
    }

    private static int parseId(String text, String spec) {
        try {
            long id = Long.parseLong(text);
            if (id < 0 || id > 0xFFFFFFFEL) {
                throw new NumberFormatException();
            }
            return (int) id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid user or group id '" + text + "' for user '" + spec + "'");
        }
    }
}
