package dev.vessel.image.build;

import java.util.List;

/**
 * One build stage: a FROM and the instructions after it.
 *
 * @param index its position among the stages, from 0
 * @param name its {@code AS} name in lower case, or null
 * @param from the FROM instruction
 * @param base the base as written (an image, an earlier stage's name, or scratch), variables unexpanded
 * @param steps the instructions after FROM
 */
public record Stage(int index, String name, Instruction from, String base, List<Instruction> steps) {
    /** How Docker names a stage in messages and COPY --from: its name, else its index. */
    public String label() {
        return name != null ? name : Integer.toString(index);
    }
}
