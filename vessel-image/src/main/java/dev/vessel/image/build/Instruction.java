package dev.vessel.image.build;

import java.util.List;
import java.util.Map;

/**
 * One instruction of a Containerfile as written, before variables are expanded.
 *
 * @param line the 1-based line it starts on
 * @param keyword its keyword in upper case (FROM, RUN, ...)
 * @param flags its {@code --name=value} flags in order ({@code --link} alone maps to "")
 * @param arguments the rest of the instruction, continuation lines joined
 * @param execForm the arguments as a JSON array of strings, when written that way; else null
 * @param heredocs its here-documents, in order
 */
public record Instruction(int line, String keyword, Map<String, String> flags, String arguments,
        List<String> execForm, List<Heredoc> heredocs) {

    public boolean isExecForm() {
        return execForm != null;
    }

    public String flag(String name) {
        return flags.get(name);
    }

    /** What a build log shows for this step, as Docker prints it. */
    public String display() {
        StringBuilder text = new StringBuilder(keyword);
        flags.forEach((name, value) -> text.append(" --").append(name).append(value.isEmpty() ? "" : "=" + value));
        if (!arguments.isEmpty()) {
            text.append(' ').append(arguments);
        }
        return text.toString();
    }
}
