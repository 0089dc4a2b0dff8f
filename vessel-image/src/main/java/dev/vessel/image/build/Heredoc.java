package dev.vessel.image.build;

/**
 * A here-document attached to RUN, COPY or ADD ({@code <<EOF ... EOF}).
 *
 * @param name the delimiter word, which COPY uses as the file name
 * @param content the body, each line ending in a newline
 * @param expand whether variables in the body are expanded (an unquoted delimiter)
 */
public record Heredoc(String name, String content, boolean expand) {
}
