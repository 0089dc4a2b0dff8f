package dev.vessel.image.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The stages of a Containerfile and which of them a target needs: only those stages are built,
 * as BuildKit does.
 */
public final class StagePlan {
    private final List<Instruction> globalArgs;
    private final List<Stage> stages;

    private StagePlan(List<Instruction> globalArgs, List<Stage> stages) {
        this.globalArgs = globalArgs;
        this.stages = stages;
    }

    public static StagePlan of(Containerfile file) {
        List<Instruction> globalArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        Instruction from = null;
        List<Instruction> steps = new ArrayList<>();
        for (Instruction instruction : file.instructions()) {
            if (instruction.keyword().equals("FROM")) {
                if (from != null) {
                    stages.add(stage(stages.size(), from, steps, names));
                }
                from = instruction;
                steps = new ArrayList<>();
            } else if (from == null) {
                if (!instruction.keyword().equals("ARG")) {
                    throw new ContainerfileException(instruction.line(),
                            instruction.keyword() + " before the first FROM (only ARG may come before it)");
                }
                globalArgs.add(instruction);
            } else {
                steps.add(instruction);
            }
        }
        if (from == null) {
            throw new ContainerfileException(0, "the Containerfile has no FROM instruction");
        }
        stages.add(stage(stages.size(), from, steps, names));
        return new StagePlan(List.copyOf(globalArgs), List.copyOf(stages));
    }

    private static Stage stage(int index, Instruction from, List<Instruction> steps, Set<String> names) {
        String[] words = from.arguments().strip().split("\\s+");
        String name = null;
        if (words.length == 3 && words[1].equalsIgnoreCase("as")) {
            name = words[2].toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z][a-z0-9._-]*")) {
                throw new ContainerfileException(from.line(), "invalid stage name '" + words[2] + "'");
            }
            if (!names.add(name)) {
                throw new ContainerfileException(from.line(), "duplicate stage name '" + name + "'");
            }
        } else if (words.length != 1 || words[0].isEmpty()) {
            throw new ContainerfileException(from.line(), "FROM takes IMAGE [AS NAME], got '" + from.arguments() + "'");
        }
        return new Stage(index, name, from, words[0], List.copyOf(steps));
    }

    /** The ARG instructions before the first FROM, whose values FROM lines may use. */
    public List<Instruction> globalArgs() {
        return globalArgs;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** The stage named by --target, or the last stage when none is named. */
    public Stage target(String name) {
        if (name == null || name.isEmpty()) {
            return stages.get(stages.size() - 1);
        }
        Stage stage = find(name);
        if (stage == null) {
            throw new ContainerfileException(0, "target stage '" + name + "' could not be found");
        }
        return stage;
    }

    /** The stage a FROM base or COPY --from names (by name or index), or null for an image. */
    public Stage find(String reference) {
        String lower = reference.toLowerCase(Locale.ROOT);
        for (Stage stage : stages) {
            if (lower.equals(stage.name())) {
                return stage;
            }
        }
        if (reference.matches("\\d+")) {
            int index = Integer.parseInt(reference);
            if (index < stages.size()) {
                return stages.get(index);
            }
        }
        return null;
    }

    /**
     * The stages the target needs, dependencies first, the target last.
     *
     * @param expandBase expands variables in a FROM base (with the global ARGs)
     */
    public List<Stage> stagesFor(Stage target, UnaryOperator<String> expandBase) {
        Map<Integer, List<Stage>> dependencies = new HashMap<>();
        for (Stage stage : stages) {
            dependencies.put(stage.index(), dependenciesOf(stage, expandBase));
        }
        Set<Stage> ordered = new LinkedHashSet<>();
        visit(target, dependencies, ordered, new java.util.HashSet<>());
        return List.copyOf(ordered);
    }

    private List<Stage> dependenciesOf(Stage stage, UnaryOperator<String> expandBase) {
        List<Stage> result = new ArrayList<>();
        Stage base = earlier(stage, expandBase.apply(stage.base()));
        if (base != null) {
            result.add(base);
        }
        for (Instruction step : stage.steps()) {
            String from = step.flag("from");
            if (from != null && (step.keyword().equals("COPY") || step.keyword().equals("ADD"))) {
                Stage source = find(from);
                if (source != null) {
                    if (source.index() >= stage.index()) {
                        throw new ContainerfileException(step.line(),
                                "COPY --from=" + from + " names a stage that is not defined before this one");
                    }
                    result.add(source);
                }
            }
        }
        return result;
    }

    /** A FROM may only name a stage defined before it; a later or unknown name is an image. */
    private Stage earlier(Stage stage, String base) {
        Stage named = null;
        String lower = base.toLowerCase(Locale.ROOT);
        for (Stage candidate : stages) {
            if (candidate.index() < stage.index() && lower.equals(candidate.name())) {
                named = candidate;
            }
        }
        return named;
    }

    private static void visit(Stage stage, Map<Integer, List<Stage>> dependencies, Set<Stage> ordered,
            Set<Integer> visiting) {
        if (ordered.contains(stage)) {
            return;
        }
        visiting.add(stage.index());
        for (Stage dependency : dependencies.get(stage.index())) {
            visit(dependency, dependencies, ordered, visiting);
        }
        ordered.add(stage);
    }
}
