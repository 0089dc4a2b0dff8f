package dev.vessel.image.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a .dockerignore file, matched as Docker matches them: Go's path patterns
 * ({@code *}, {@code ?}, {@code [...]}) plus {@code **} for any number of directories, a
 * pattern matching a path when it matches the path or one of its parents, {@code !} lines
 * re-including what earlier lines excluded, the last matching line deciding.
 */
public final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exception) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String rawLine : text.split("\n")) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            if (exception) {
                line = line.substring(1).strip();
            }
            String cleaned = clean(line);
            if (cleaned.isEmpty()) {
                continue;
            }
            rules.add(new Rule(compile(cleaned), exception));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** Whether any rule is a {@code !} exception, which means excluded directories must still be walked. */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    /** Whether the context path (relative, '/'-separated) is left out of the build context. */
    public boolean excludes(String relativePath) {
        String path = clean(relativePath);
        boolean excluded = false;
        for (Rule rule : rules) {
            if (rule.exception() != excluded) {
                continue;
            }
            if (matchesOrParentMatches(rule.pattern(), path)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String path) {
        if (pattern.matcher(path).matches()) {
            return true;
        }
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            if (pattern.matcher(path.substring(0, slash)).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Like Go's filepath.Clean, relative to the root: no leading '/', no '.', and '..' folded,
     * stopping at the root. The builder cleans destinations inside an image the same way.
     */
    public static String clean(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/+")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    static Pattern compile(String pattern) {
        StringBuilder regex = new StringBuilder("^");
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                            i++;
                            regex.append("(.*/)?");
                        } else {
                            regex.append(".*");
                        }
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '\\' -> {
                    if (i + 1 < n) {
                        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    }
                }
                case '[' -> {
                    int end = pattern.indexOf(']', i + 2);
                    if (end < 0) {
                        regex.append("\\[");
                        break;
                    }
                    String body = pattern.substring(i + 1, end);
                    if (body.startsWith("!") || body.startsWith("^")) {
                        body = "^" + body.substring(1);
                    }
                    regex.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                    i = end;
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.append('$').toString());
    }
}
