package dev.vessel.engine.build;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * COPY and ADD source patterns, matched as Go's filepath.Match does (which Docker uses): one
 * path segment at a time, {@code *} and {@code ?} never crossing a '/', {@code [...]} classes.
 */
final class SourceGlob {
    private SourceGlob() {
    }

    static boolean isPattern(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
    }

    /**
     * The relative paths under {@code root} that {@code pattern} (relative, cleaned) matches, in
     * sorted order, leaving out those {@code excluded} rejects. Only real directories are walked.
     */
    static List<String> expand(Path root, String pattern, Predicate<String> excluded) throws IOException {
        List<String> matches = new ArrayList<>();
        walk(root, "", pattern.split("/"), 0, excluded, matches);
        return matches;
    }

    private static void walk(Path root, String prefix, String[] segments, int index, Predicate<String> excluded,
            List<String> matches) throws IOException {
        if (index == segments.length) {
            matches.add(prefix);
            return;
        }
        String segment = segments[index];
        Path dir = prefix.isEmpty() ? root : root.resolve(prefix);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isPattern(segment)) {
            String next = prefix.isEmpty() ? segment : prefix + "/" + segment;
            if (Files.exists(root.resolve(next), LinkOption.NOFOLLOW_LINKS) && !excluded.test(next)) {
                walk(root, next, segments, index + 1, excluded, matches);
            }
            return;
        }
        Pattern regex = compile(segment);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        names.sort(null);
        for (String name : names) {
            String next = prefix.isEmpty() ? name : prefix + "/" + name;
            if (regex.matcher(name).matches() && !excluded.test(next)) {
                walk(root, next, segments, index + 1, excluded, matches);
            }
        }
    }

    /** One segment of a filepath.Match pattern as a regular expression. */
    static Pattern compile(String segment) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                case '[' -> {
                    int end = segment.indexOf(']', i + 2);
                    if (end < 0) {
                        regex.append("\\[");
                        break;
                    }
                    String body = segment.substring(i + 1, end);
                    if (body.startsWith("^")) {
                        body = "!" + body.substring(1);
                    }
                    regex.append('[').append(body.startsWith("!") ? "^" + escapeClass(body.substring(1)) : escapeClass(body))
                            .append(']');
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 < segment.length()) {
                        regex.append(Pattern.quote(String.valueOf(segment.charAt(++i))));
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static String escapeClass(String body) {
        return body.replace("\\", "\\\\").replace("[", "\\[").replace("&&", "\\&\\&");
    }
}
