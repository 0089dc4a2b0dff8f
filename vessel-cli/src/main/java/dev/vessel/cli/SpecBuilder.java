package dev.vessel.cli;

import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A picocli command model written in code, for every command of `vessel` (but the hidden AOT
 * training one). Picocli reads
 * annotations through reflection, and the JDK makes a proxy class for each annotation type on first
 * use: in a short-lived JVM that is about 90 ms before a command's first line runs, against about
 * 15 ms for the same model built here. Each option is declared once, with the code that stores its
 * value; a field keeps its initial value until its option is given (or has a default).
 */
public final class SpecBuilder {
    private final CommandSpec spec;

    private SpecBuilder(CommandSpec spec) {
        this.spec = spec;
    }

    /** A command whose user object (a Runnable or Callable) picocli runs; its fields are set by the bindings. */
    public static SpecBuilder command(Object userObject, String name, String description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(userObject);
        // no ${...} in Vessel's texts: picocli's interpolation of every name and description is work for nothing
        spec.interpolateVariables(false);
        spec.name(name);
        spec.usageMessage().description(description);
        return new SpecBuilder(spec);
    }

    public CommandSpec spec() {
        return spec;
    }

    /** An option taking one value of the given type. */
    public <T> SpecBuilder option(Class<T> type, Consumer<T> setter, String description, String... names) {
        spec.addOption(OptionSpec.builder(names).type(type).paramLabel(labelOf(names)).description(description)
                .hasInitialValue(false).setter(new Binding<>(setter)).getter(Binding.NONE).build());
        return this;
    }

    /** An option taking one value of the given type, with a default that applies when it is absent. */
    public <T> SpecBuilder option(Class<T> type, String defaultValue, Consumer<T> setter, String description,
            String... names) {
        spec.addOption(OptionSpec.builder(names).type(type).paramLabel(labelOf(names)).defaultValue(defaultValue)
                .description(description).hasInitialValue(false).setter(new Binding<>(setter)).getter(Binding.NONE)
                .build());
        return this;
    }

    /**
     * An option whose value may be left out ({@code --tls-verify} or {@code --tls-verify=false}):
     * absent, it takes defaultValue; given alone, fallbackValue.
     */
    public <T> SpecBuilder optionalValue(Class<T> type, String defaultValue, String fallbackValue, Consumer<T> setter,
            String description, String... names) {
        spec.addOption(OptionSpec.builder(names).type(type).arity("0..1").paramLabel(labelOf(names))
                .defaultValue(defaultValue).fallbackValue(fallbackValue).description(description)
                .hasInitialValue(false).setter(new Binding<>(setter)).getter(Binding.NONE).build());
        return this;
    }

    /** Names the value of the option added last in usage help ({@code --root=DIR}). */
    public SpecBuilder label(String label) {
        return changeLast(b -> b.paramLabel(label));
    }

    /** Makes the option added last required: picocli reports it missing when it is absent. */
    public SpecBuilder required() {
        return changeLast(b -> b.required(true));
    }

    /** Splits each value of the option added last at the regex ({@code -o a=1,b=2}). */
    public SpecBuilder split(String regex) {
        return changeLast(b -> b.splitRegex(regex));
    }

    /**
     * Makes the last {@code count} options added a group of which exactly one must be given
     * ({@code (--disk=FILE | --from-vm=VM)}): picocli reports none or two as a usage error.
     */
    public SpecBuilder exactlyOneOf(int count) {
        List<OptionSpec> options = spec.options();
        List<OptionSpec> members = List.copyOf(options.subList(options.size() - count, options.size()));
        CommandLine.Model.ArgGroupSpec.Builder group = CommandLine.Model.ArgGroupSpec.builder().exclusive(true)
                .multiplicity("1");
        for (OptionSpec member : members) {
            spec.remove(member);
            group.addArg(member.toBuilder().build());
        }
        spec.addArgGroup(group.build());
        return this;
    }

    /** Leaves the option added last out of usage help (accepted for compatibility only). */
    public SpecBuilder hiddenOption() {
        return changeLast(b -> b.hidden(true));
    }

    /** Leaves the command out of usage help (the AOT training verbs). */
    public SpecBuilder hidden() {
        spec.usageMessage().hidden(true);
        return this;
    }

    private SpecBuilder changeLast(java.util.function.UnaryOperator<OptionSpec.Builder> change) {
        List<OptionSpec> options = spec.options();
        OptionSpec last = options.get(options.size() - 1);
        spec.remove(last);
        spec.addOption(change.apply(last.toBuilder()).build());
        return this;
    }

    /** An option taking one string value, with a default that applies when it is absent. */
    public SpecBuilder option(String defaultValue, Consumer<String> setter, String description, String... names) {
        spec.addOption(OptionSpec.builder(names).type(String.class).paramLabel(labelOf(names))
                .defaultValue(defaultValue).description(description)
                .hasInitialValue(false).setter(new Binding<>(setter)).getter(Binding.NONE).build());
        return this;
    }

    /** A boolean flag: present means true. */
    public SpecBuilder flag(Consumer<Boolean> setter, String description, String... names) {
        spec.addOption(OptionSpec.builder(names).type(boolean.class).description(description)
                .hasInitialValue(false).setter(new Binding<>(setter)).getter(Binding.NONE).build());
        return this;
    }

    /** A boolean flag that is on unless given as --no-NAME or NAME=false. */
    public SpecBuilder negatableFlag(Consumer<Boolean> setter, String description, String... names) {
        spec.addOption(OptionSpec.builder(names).type(boolean.class).paramLabel(labelOf(names)).negatable(true)
                .defaultValue("true").fallbackValue("true").description(description)
                .hasInitialValue(false).setter(new Binding<>(setter)).getter(Binding.NONE).build());
        return this;
    }

    /** A repeatable option; the setter gets the list of every value, in order. */
    public SpecBuilder repeatable(Consumer<List<String>> setter, String description, String... names) {
        Binding<List<String>> binding = new Binding<>(setter);
        spec.addOption(OptionSpec.builder(names).type(List.class).auxiliaryTypes(String.class).paramLabel(labelOf(names))
                .description(description).hasInitialValue(false).setter(binding).getter(binding).build());
        return this;
    }

    /** The positional parameter at index, of one value. */
    public SpecBuilder positional(String index, String label, Consumer<String> setter, String description) {
        spec.addPositional(PositionalParamSpec.builder().index(index).paramLabel(label).type(String.class)
                .required(true).description(description)
                .hasInitialValue(false).setter(new Binding<>(setter)).getter(Binding.NONE).build());
        return this;
    }

    /** An optional positional parameter at index: when absent, the field keeps its initial value. */
    public SpecBuilder optionalPositional(String index, String label, Consumer<String> setter, String description) {
        spec.addPositional(PositionalParamSpec.builder().index(index).arity("0..1").paramLabel(label)
                .type(String.class).description(description).hasInitialValue(false)
                .setter(new Binding<>(setter)).getter(Binding.NONE).build());
        return this;
    }

    /** The positional parameters from index on, one or more (picocli reports none as missing). */
    public SpecBuilder oneOrMore(String index, String label, Consumer<List<String>> setter, String description) {
        Binding<List<String>> binding = new Binding<>(setter);
        spec.addPositional(PositionalParamSpec.builder().index(index + "..*").arity("1..*").paramLabel(label)
                .type(List.class).auxiliaryTypes(String.class).description(description).required(true)
                .hasInitialValue(false).setter(binding).getter(binding).build());
        return this;
    }

    /** The remaining positional parameters from index on (none or more). */
    public SpecBuilder remaining(String index, String label, Consumer<List<String>> setter, String description) {
        Binding<List<String>> binding = new Binding<>(setter);
        spec.addPositional(PositionalParamSpec.builder().index(index + "..*").arity("0..*").paramLabel(label)
                .type(List.class).auxiliaryTypes(String.class).description(description)
                .hasInitialValue(false).setter(binding).getter(binding).build());
        return this;
    }

    /** -h, --help and -V, --version (the version from provider), as picocli's standard help options. */
    public SpecBuilder standardHelp(CommandLine.IVersionProvider provider) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        spec.versionProvider(provider);
        return this;
    }

    /** -h, --help and -V, --version with Vessel's version (see {@link Vessel.Version}). */
    public SpecBuilder standardHelp() {
        return standardHelp(new Vessel.Version());
    }

    /** Docker's --help (no -h: several verbs use -h for something else). */
    public SpecBuilder help() {
        spec.addOption(OptionSpec.builder("--help").usageHelp(true).description("Show this help message and exit.")
                .build());
        return this;
    }

    /** The value's name in usage help, from the longest option name: {@code <memory-swap>}. */
    private static String labelOf(String... names) {
        String longest = names[0];
        for (String name : names) {
            if (name.length() > longest.length()) {
                longest = name;
            }
        }
        int start = 0;
        while (start < longest.length() && longest.charAt(start) == '-') {
            start++;
        }
        return "<" + longest.substring(start) + ">";
    }

    /**
     * Holds an option's value for picocli (which reads it back to add to a list) and hands each
     * value set to the command's field.
     */
    private static final class Binding<T> implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        /** For single values: picocli reads no current value back. */
        static final CommandLine.Model.IGetter NONE = new CommandLine.Model.IGetter() {
            @Override
            public <R> R get() {
                return null;
            }
        };

        private final Consumer<T> setter;
        private T value;

        Binding(Consumer<T> setter) {
            this.setter = setter;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R get() {
            return (R) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R set(R newValue) {
            T old = value;
            value = (T) newValue;
            setter.accept(value);
            return (R) old;
        }
    }
}
