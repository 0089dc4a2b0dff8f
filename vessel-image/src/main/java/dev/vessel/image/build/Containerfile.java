package dev.vessel.image.build;

import java.util.List;

/**
 * A parsed Containerfile (or Dockerfile).
 *
 * @param escape the escape character chosen by the {@code # escape=} directive
 * @param instructions every instruction in order, including the ARGs before the first FROM
 */
public record Containerfile(char escape, List<Instruction> instructions) {
}
