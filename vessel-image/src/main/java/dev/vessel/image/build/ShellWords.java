package dev.vessel.image.build;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The word processing Docker applies to the arguments of ENV, ARG, LABEL, COPY, ADD, WORKDIR,
 * USER, EXPOSE, VOLUME, STOPSIGNAL and FROM: quotes are removed, the escape character escapes,
 * and {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:+alternative}} are
 * replaced from the build's variables (an unset variable is empty).
 */
public final class ShellWords {
    private final char escape;
    private final Function<String, String> variables;

    /** @param variables returns a variable's value, or null when it is not set */
    public ShellWords(char escape, Function<String, String> variables) {
        this.escape = escape;
        this.variables = variables;
    }

    /** One word: quotes removed and variables expanded, white space kept. */
    public String word(String text) {
        List<String> words = process(text, false);
        return words.isEmpty() ? "" : words.get(0);
    }

    /** Words split on unquoted white space, each with quotes removed and variables expanded. */
    public List<String> words(String text) {
        return process(text, true);
    }

    /**
     * Splits name=value pairs (or a single legacy {@code NAME value with spaces}) without
     * expanding them, as Docker's ENV and LABEL parser does; {@link #word} expands each part.
     */
    public List<String[]> nameValuePairs(String text, String keyword, int line) {
        List<String> raw = rawWords(text);
        if (raw.isEmpty()) {
            throw new ContainerfileException(line, keyword + " needs at least one argument");
        }
        List<String[]> pairs = new ArrayList<>();
        if (!raw.get(0).contains("=")) {
            if (keyword.equals("LABEL") || raw.size() < 2) {
                throw new ContainerfileException(line, keyword + " needs NAME=VALUE (got '" + raw.get(0) + "')");
            }
            String value = text.strip().substring(raw.get(0).length()).strip();
            pairs.add(new String[] {raw.get(0), value});
            return pairs;
        }
        for (String pair : raw) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new ContainerfileException(line, keyword + " needs NAME=VALUE (got '" + pair + "')");
            }
            pairs.add(new String[] {pair.substring(0, equals), pair.substring(equals + 1)});
        }
        return pairs;
    }

    /** Splits on unquoted white space, keeping quotes and escapes as written. */
    public List<String> rawWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            word.append(c);
            if (c == escape && quote != '\'' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private List<String> process(String text, boolean split) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (split && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unmatched single quote in: " + text);
                }
                word.append(text, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(text, i + 1, word);
            } else if (c == escape && i + 1 < text.length()) {
                word.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = variable(text, i + 1, word);
            } else {
                word.append(c);
                i++;
            }
        }
        if (inWord || !split) {
            words.add(word.toString());
        }
        return words;
    }

    private int doubleQuoted(String text, int start, StringBuilder word) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == escape && i + 1 < text.length() && "\"$`".indexOf(text.charAt(i + 1)) >= 0
                    || c == escape && i + 1 < text.length() && text.charAt(i + 1) == escape) {
                word.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = variable(text, i + 1, word);
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("unmatched double quote in: " + text);
    }

    /** Expands the variable whose name starts at {@code start} (just past the '$'). */
    private int variable(String text, int start, StringBuilder word) {
        if (start >= text.length()) {
            word.append('$');
            return start;
        }
        if (text.charAt(start) == '{') {
            int end = matchingBrace(text, start);
            String body = text.substring(start + 1, end);
            word.append(braced(body));
            return end + 1;
        }
        int end = start;
        while (end < text.length() && isNameChar(text.charAt(end))) {
            end++;
        }
        if (end == start) {
            word.append('$');
            return start;
        }
        String value = variables.apply(text.substring(start, end));
        word.append(value == null ? "" : value);
        return end;
    }

    private String braced(String body) {
        int nameEnd = 0;
        while (nameEnd < body.length() && isNameChar(body.charAt(nameEnd))) {
            nameEnd++;
        }
        String name = body.substring(0, nameEnd);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("bad substitution: ${" + body + "}");
        }
        String value = variables.apply(name);
        String operator = body.substring(nameEnd);
        if (operator.isEmpty()) {
            return value == null ? "" : value;
        }
        boolean colon = operator.startsWith(":");
        String op = colon ? operator.substring(1) : operator;
        if (op.isEmpty()) {
            throw new IllegalArgumentException("bad substitution: ${" + body + "}");
        }
        String argument = word(op.substring(1));
        boolean unset = value == null || colon && value.isEmpty();
        return switch (op.charAt(0)) {
            case '-' -> unset ? argument : value;
            case '+' -> unset ? "" : argument;
            case '?' -> {
                if (unset) {
                    throw new IllegalArgumentException(name + ": " + (argument.isEmpty() ? "is not set" : argument));
                }
                yield value;
            }
            default -> throw new IllegalArgumentException("unsupported substitution: ${" + body + "}");
        };
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == '{') {
                depth++;
            } else if (text.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("missing '}' in: " + text);
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c) && c < 128;
    }
}
