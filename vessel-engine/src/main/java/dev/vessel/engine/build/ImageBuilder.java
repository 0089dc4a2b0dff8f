package dev.vessel.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.engine.Containers;
import dev.vessel.engine.spec.RootfsPaths;
import dev.vessel.engine.spec.UserResolver;
import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.StoreWriter;
import dev.vessel.image.build.Containerfile;
import dev.vessel.image.build.ContainerfileException;
import dev.vessel.image.build.ContainerfileParser;
import dev.vessel.image.build.DockerIgnore;
import dev.vessel.image.build.Heredoc;
import dev.vessel.image.build.Instruction;
import dev.vessel.image.build.ShellWords;
import dev.vessel.image.build.Stage;
import dev.vessel.image.build.StagePlan;
import dev.vessel.image.layer.LayerDiffWriter;
import dev.vessel.image.layer.LayerStore;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.runtime.Trace;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * `vessel build`: runs a Containerfile's stages (only those the target needs) step by step,
 * each step that changes files becoming one standard OCI layer made from the overlay upper
 * directory it wrote, reused from the cache when its parent, instruction and inputs are
 * unchanged. Layers and the image are reproducible: every timestamp is SOURCE_DATE_EPOCH (0
 * when unset), so the same context and Containerfile give the same digest.
 */
public final class ImageBuilder {
    private static final Set<String> CONFIG_ONLY = Set.of("ENV", "ARG", "LABEL", "EXPOSE", "VOLUME", "USER", "CMD",
            "ENTRYPOINT", "SHELL", "STOPSIGNAL", "HEALTHCHECK", "ONBUILD", "MAINTAINER");
    private static final Set<String> RUNTIME_FILES = Set.of("etc/hostname", "etc/hosts", "etc/resolv.conf");
    private static final Map<String, String> PLATFORM_ARGS = Map.of("TARGETPLATFORM", "linux/amd64", "TARGETOS",
            "linux", "TARGETARCH", "amd64", "TARGETVARIANT", "", "BUILDPLATFORM", "linux/amd64", "BUILDOS", "linux",
            "BUILDARCH", "amd64", "BUILDVARIANT", "");

    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Containers containers;
    private final BaseImages baseImages;
    private final PrintWriter out;
    private final PrintWriter err;
    private final LayerStore layerStore;
    private final StepCache cache;
    private final Instant timestamp;

    public ImageBuilder(Containers containers, BaseImages baseImages, PrintWriter out, PrintWriter err) {
        this.containers = containers;
        this.baseImages = baseImages;
        this.out = out;
        this.err = err;
        this.layerStore = new LayerStore(containers.images());
        this.cache = new StepCache(containers.root(), containers.images());
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        this.timestamp = Instant.ofEpochSecond(epoch != null && epoch.matches("\\d+") ? Long.parseLong(epoch) : 0);
    }

    /** One build: what it was asked and the state it moves through. */
    private final class Run {
        final BuildRequest request;
        final char escape;
        final StagePlan plan;
        final BuildContext context;
        final Path buildDir;
        final Path emptyLayer;
        final Map<String, String> globalArgs = new LinkedHashMap<>();
        final Set<String> usedArgs = new HashSet<>();
        final Map<Integer, StageState> finished = new HashMap<>();
        final int totalSteps;
        int step;

        Run(BuildRequest request, Containerfile file, StagePlan plan, List<Stage> stages, Path buildDir)
                throws IOException {
            this.request = request;
            this.escape = file.escape();
            this.plan = plan;
            this.context = BuildContext.of(request.context());
            this.buildDir = buildDir;
            this.emptyLayer = containers.root().resolve("layers").resolve("empty");
            this.totalSteps = stages.stream().mapToInt(s -> 1 + s.steps().size()).sum();
        }

        void say(String line) {
            if (!request.quiet()) {
                out.println(line);
                out.flush();
            }
        }
    }

    /**
     * A build context sent as a tar (plain or compressed) on stdin, unpacked into {@code dir}
     * with every entry kept inside it.
     */
    public static void unpackContext(InputStream tar, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path archive = dir.resolveSibling(dir.getFileName() + ".tar");
        try {
            Files.copy(tar, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            new FileInstaller(dir, null, null).extract(archive, "/");
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    public Image build(BuildRequest request) throws IOException {
        String text;
        try {
            text = Files.readString(request.containerfile());
        } catch (IOException e) {
            throw new BuildException("cannot read the Containerfile " + request.containerfile() + ": " + e.getMessage());
        }
        String name = request.containerfile().getFileName().toString();
        Containerfile file;
        StagePlan plan;
        Stage target;
        Map<String, String> globals = new LinkedHashMap<>(PLATFORM_ARGS);
        List<Stage> stages;
        try {
            file = ContainerfileParser.parse(text);
            plan = StagePlan.of(file);
            for (Instruction arg : plan.globalArgs()) {
                declareArgs(arg, new ShellWords(file.escape(), globals::get), globals, globals, request.buildArgs(),
                        null);
            }
            target = plan.target(request.target());
            stages = plan.stagesFor(target, base -> new ShellWords(file.escape(), globals::get).word(base));
        } catch (ContainerfileException e) {
            throw new BuildException(name + ": " + e.getMessage());
        }
        Trace.mark("build: parsed");
        try (BuildDirectories.Held held = BuildDirectories.create(containers.root().resolve("build"),
                containers.runtime())) {
            Path buildDir = held.dir();
            Run run = new Run(request, file, plan, stages, buildDir);
            run.globalArgs.putAll(globals);
            StageState state = null;
            for (Stage stage : stages) {
                state = buildStage(run, stage, name);
                run.finished.put(stage.index(), state);
            }
            warnUnusedArgs(run);
            Image image = commit(run, state);
            Trace.mark("build: committed");
            return image;
        }
    }

    private void warnUnusedArgs(Run run) {
        for (String arg : run.request.buildArgs().keySet()) {
            if (!run.usedArgs.contains(arg)) {
                err.println("[Warning] one or more build args were not consumed: [" + arg + "]");
            }
        }
    }

    private StageState buildStage(Run run, Stage stage, String fileName) throws IOException {
        StageState state;
        Instruction from = stage.from();
        run.step++;
        run.say("STEP " + run.step + "/" + run.totalSteps + ": " + from.display());
        try {
            state = start(run, stage);
            Trace.mark("build: FROM " + stage.base());
        } catch (ContainerfileException e) {
            throw new BuildException(fileName + ": " + e.getMessage());
        } catch (BuildException e) {
            throw new BuildException(fileName + ": line " + from.line() + ": " + from.display() + ": " + e.getMessage(),
                    e.status());
        }
        boolean cmdSet = false;
        for (Instruction instruction : stage.steps()) {
            run.step++;
            run.say("STEP " + run.step + "/" + run.totalSteps + ": " + instruction.display());
            try {
                if (instruction.keyword().equals("CMD")) {
                    cmdSet = true;
                }
                if (instruction.keyword().equals("ENTRYPOINT") && !cmdSet) {
                    state.config.remove("Cmd"); // a new ENTRYPOINT drops the base image's CMD, as Docker does
                }
                execute(run, state, instruction);
                Trace.mark("build: " + instruction.keyword());
            } catch (ContainerfileException e) {
                throw new BuildException(fileName + ": line " + instruction.line() + ": " + instruction.display() + ": "
                        + e.getMessage().replaceFirst("^line \\d+: ", ""));
            } catch (BuildException e) {
                throw new BuildException(fileName + ": line " + instruction.line() + ": " + instruction.display() + ": "
                        + e.getMessage(), e.status());
            } catch (IllegalArgumentException e) {
                throw new BuildException(fileName + ": line " + instruction.line() + ": " + instruction.display() + ": "
                        + e.getMessage());
            }
        }
        return state;
    }

    /** The state a stage starts from: scratch, an earlier stage, or an image (pulled if the policy says so). */
    private StageState start(Run run, Stage stage) throws IOException {
        String base = new ShellWords(run.escape, run.globalArgs::get).word(stage.base());
        if (base.isEmpty()) {
            throw new BuildException("FROM names no image (an ARG that is not set?)");
        }
        StageState state;
        Stage earlier = run.plan.find(base);
        if (earlier != null && earlier.index() < stage.index() && base.equalsIgnoreCase(earlier.name())) {
            state = run.finished.get(earlier.index()).copy();
        } else if (base.equalsIgnoreCase("scratch")) {
            state = new StageState();
            state.cacheKey = Digest.of("scratch").hex();
        } else {
            state = fromImage(baseImages.resolve(base));
        }
        state.args.clear();
        if (!state.env().containsKey("PATH")) {
            // as Docker and podman do, an image without PATH gets the default one first
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", DEFAULT_PATH);
            env.putAll(state.env());
            state.config.putArray("Env");
            env.forEach(state::setEnv);
        }
        state.advance("FROM", base);
        return state;
    }

    private StageState fromImage(Image image) throws IOException {
        StageState state = new StageState();
        JsonNode config = Json.mapper().readTree(containers.images().configBytes(image));
        Manifest manifest = containers.images().manifest(image);
        state.layers.addAll(manifest.layers());
        for (JsonNode diffId : config.path("rootfs").path("diff_ids")) {
            state.diffIds.add(Digest.parse(diffId.asText()));
        }
        if (state.diffIds.size() != state.layers.size()) {
            throw new BuildException("image " + image.id().shortHex() + " is inconsistent: its manifest and config"
                    + " list different numbers of layers");
        }
        if (config.path("config").isObject()) {
            state.config = (ObjectNode) config.get("config").deepCopy();
        }
        if (config.path("history").isArray()) {
            state.history.addAll((ArrayNode) config.get("history").deepCopy());
        }
        state.architecture = config.path("architecture").asText("amd64");
        state.os = config.path("os").asText("linux");
        state.cacheKey = image.id().hex();
        return state;
    }

    private void execute(Run run, StageState state, Instruction instruction) throws IOException {
        ShellWords words = new ShellWords(run.escape, name -> {
            String value = state.variable(name);
            if (value != null && state.args.containsKey(name)) {
                run.usedArgs.add(name);
            }
            return value;
        });
        String keyword = instruction.keyword();
        String createdBy = instruction.display();
        if (CONFIG_ONLY.contains(keyword)) {
            String keyExtra = configure(run, state, instruction, words);
            state.advance(keyword, createdBy, keyExtra);
            addHistory(state, createdBy, true);
            return;
        }
        switch (keyword) {
            case "RUN" -> run(run, state, instruction);
            case "COPY", "ADD" -> copy(run, state, instruction, words);
            case "WORKDIR" -> workdir(run, state, instruction, words);
            default -> throw new BuildException("the instruction " + keyword + " is not supported");
        }
    }

    /** Instructions that change only the image configuration; returns what else the cache key needs. */
    private String configure(Run run, StageState state, Instruction instruction, ShellWords words) {
        String args = instruction.arguments();
        switch (instruction.keyword()) {
            case "ENV" -> {
                List<String[]> pairs = words.nameValuePairs(args, "ENV", instruction.line());
                List<String[]> expanded = new ArrayList<>();
                for (String[] pair : pairs) {
                    expanded.add(new String[] {words.word(pair[0]), words.word(pair[1])});
                }
                expanded.forEach(pair -> state.setEnv(pair[0], pair[1]));
            }
            case "ARG" -> {
                return declareArgs(instruction, words, state.args, run.globalArgs, run.request.buildArgs(), run.usedArgs);
            }
            case "LABEL" -> {
                ObjectNode labels = state.config.path("Labels").isObject() ? (ObjectNode) state.config.get("Labels")
                        : state.config.putObject("Labels");
                for (String[] pair : words.nameValuePairs(args, "LABEL", instruction.line())) {
                    labels.put(words.word(pair[0]), words.word(pair[1]));
                }
            }
            case "MAINTAINER" -> state.config.put("__author", args.strip());
            case "EXPOSE" -> {
                ObjectNode ports = state.config.path("ExposedPorts").isObject()
                        ? (ObjectNode) state.config.get("ExposedPorts") : state.config.putObject("ExposedPorts");
                for (String port : words.words(args)) {
                    if (!port.matches("\\d+(-\\d+)?(/(tcp|udp|sctp))?")) {
                        throw new IllegalArgumentException("invalid port '" + port + "'");
                    }
                    ports.putObject(port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp");
                }
            }
            case "VOLUME" -> {
                ObjectNode volumes = state.config.path("Volumes").isObject() ? (ObjectNode) state.config.get("Volumes")
                        : state.config.putObject("Volumes");
                List<String> paths = instruction.isExecForm() ? instruction.execForm().stream().map(words::word).toList()
                        : words.words(args);
                if (paths.isEmpty()) {
                    throw new IllegalArgumentException("VOLUME needs at least one path");
                }
                paths.forEach(volumes::putObject);
            }
            case "USER" -> state.config.put("User", words.word(args.strip()));
            case "CMD" -> state.setList("Cmd", commandLine(state, instruction));
            case "ENTRYPOINT" -> state.setList("Entrypoint", commandLine(state, instruction));
            case "SHELL" -> {
                if (!instruction.isExecForm() || instruction.execForm().isEmpty()) {
                    throw new IllegalArgumentException("SHELL needs the JSON form, for example [\"/bin/sh\", \"-c\"]");
                }
                state.setList("Shell", instruction.execForm());
            }
            case "STOPSIGNAL" -> state.config.put("StopSignal", words.word(args.strip()));
            case "HEALTHCHECK" -> state.config.set("Healthcheck", healthcheck(state, instruction));
            case "ONBUILD" -> {
                ArrayNode triggers = state.config.path("OnBuild").isArray() ? (ArrayNode) state.config.get("OnBuild")
                        : state.config.putArray("OnBuild");
                triggers.add(args.strip());
            }
            default -> throw new IllegalStateException(instruction.keyword());
        }
        return "";
    }

    /** ARG NAME[=DEFAULT]...: the value is --build-arg's, else the default, else the global one redeclared. */
    private static String declareArgs(Instruction instruction, ShellWords words, Map<String, String> scope,
            Map<String, String> globals, Map<String, String> buildArgs, Set<String> used) {
        StringBuilder resolved = new StringBuilder();
        List<String[]> declarations = new ArrayList<>();
        for (String word : splitArgs(instruction, words)) {
            int equals = word.indexOf('=');
            declarations.add(equals < 0 ? new String[] {word, null}
                    : new String[] {word.substring(0, equals), words.word(word.substring(equals + 1))});
        }
        for (String[] declaration : declarations) {
            String name = declaration[0];
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ContainerfileException(instruction.line(), "invalid ARG name '" + name + "'");
            }
            String value = buildArgs.containsKey(name) ? buildArgs.get(name)
                    : declaration[1] != null ? declaration[1] : globals.get(name);
            if (buildArgs.containsKey(name) && used != null) {
                used.add(name);
            }
            if (value != null) {
                scope.put(name, value);
            } else {
                scope.remove(name);
            }
            resolved.append(name).append('=').append(value).append('\n');
        }
        return resolved.toString();
    }

    private static List<String> splitArgs(Instruction instruction, ShellWords words) {
        List<String> raw = words.rawWords(instruction.arguments());
        if (raw.isEmpty()) {
            throw new ContainerfileException(instruction.line(), "ARG needs a name");
        }
        return raw;
    }

    /** CMD and ENTRYPOINT: the JSON form as it is, the shell form run by the SHELL. */
    private static List<String> commandLine(StageState state, Instruction instruction) {
        if (instruction.isExecForm()) {
            return instruction.execForm();
        }
        List<String> line = new ArrayList<>(state.shell());
        line.add(instruction.arguments());
        return line;
    }

    private static ObjectNode healthcheck(StageState state, Instruction instruction) {
        ObjectNode check = JsonNodeFactory.instance.objectNode();
        String args = instruction.arguments().strip();
        ArrayNode test = check.putArray("Test");
        if (args.equalsIgnoreCase("NONE")) {
            test.add("NONE");
            return check;
        }
        String[] parts = args.split("\\s+", 2);
        if (!parts[0].equalsIgnoreCase("CMD") || parts.length < 2) {
            throw new IllegalArgumentException("HEALTHCHECK takes NONE or [OPTIONS] CMD COMMAND");
        }
        Instruction command = new Instruction(instruction.line(), "CMD", Map.of(), parts[1].strip(),
                ContainerfileParser.execForm(parts[1].strip()), List.of());
        if (command.isExecForm()) {
            test.add("CMD");
            command.execForm().forEach(test::add);
        } else {
            test.add("CMD-SHELL");
            test.add(command.arguments());
        }
        for (Map.Entry<String, String> flag : instruction.flags().entrySet()) {
            switch (flag.getKey()) {
                case "interval" -> check.put("Interval", Durations.nanos(flag.getValue()));
                case "timeout" -> check.put("Timeout", Durations.nanos(flag.getValue()));
                case "start-period" -> check.put("StartPeriod", Durations.nanos(flag.getValue()));
                case "start-interval" -> check.put("StartInterval", Durations.nanos(flag.getValue()));
                case "retries" -> check.put("Retries", Integer.parseInt(flag.getValue()));
                default -> throw new IllegalArgumentException("unknown HEALTHCHECK flag --" + flag.getKey());
            }
        }
        return check;
    }

    // ---- steps that change files ----

    /** What a step that changes files does inside its workspace. */
    @FunctionalInterface
    private interface StepAction {
        void apply(Workspace workspace) throws IOException;
    }

    /**
     * Runs a step that changes files, or takes its layer from the cache: the cache key is the
     * state's key advanced by the instruction and {@code inputs}.
     */
    private void layerStep(Run run, StageState state, String createdBy, String inputs, StepAction action)
            throws IOException {
        state.advance(createdBy, inputs);
        Optional<StepCache.Entry> cached = run.request.noCache() ? Optional.empty() : cache.find(state.cacheKey);
        StepCache.Entry entry;
        if (cached.isPresent()) {
            entry = cached.get();
            run.say("--> Using cache " + state.cacheKey);
        } else {
            entry = makeLayer(run, state, action);
            cache.put(state.cacheKey, entry);
        }
        if (entry.layer() != null) {
            state.layers.add(entry.layer());
            state.diffIds.add(entry.diffId());
        }
        addHistory(state, createdBy, entry.layer() == null);
        run.say("--> " + state.cacheKey.substring(0, 12));
    }

    private StepCache.Entry makeLayer(Run run, StageState state, StepAction action) throws IOException {
        List<Path> lowers = layerStore.unpack(state.layers, state.diffIds);
        try (Workspace workspace = Workspace.writable(run.buildDir, lowers, run.emptyLayer)) {
            action.apply(workspace);
            workspace.unmount();
            Path upper = workspace.upper();
            Set<String> excluded = runtimeCreated(upper, lowers);
            List<LayerDiffWriter.Change> changes = new ArrayList<>(LayerDiffWriter.changes(upper, lowers, excluded));
            changes.removeIf(c -> c.kind() == 'C' && c.path().equals("/etc")
                    && changes.stream().noneMatch(o -> o.path().startsWith("/etc/")));
            if (changes.isEmpty()) {
                return new StepCache.Entry(null, null);
            }
            Path tar = workspace.dir().resolve("layer.tar");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 20)) {
                LayerDiffWriter.write(upper, excluded, FileTime.from(timestamp), out);
            }
            try (StoreWriter writer = containers.images().writer(); InputStream in = Files.newInputStream(tar)) {
                Descriptor layer = writer.putBlob(in, MediaTypes.OCI_LAYER, null, -1);
                writer.keepForBuildCache(layer.digest());
                writer.commit();
                return new StepCache.Entry(layer, layer.digest());
            }
        }
    }

    /** The mount points the runtime made for /etc/hostname, hosts and resolv.conf: not the step's own files. */
    private static Set<String> runtimeCreated(Path upper, List<Path> lowers) throws IOException {
        Set<String> created = new HashSet<>();
        for (String path : RUNTIME_FILES) {
            Path file = upper.resolve(path);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == 0
                    && lowers.stream().noneMatch(lower -> Files.exists(lower.resolve(path), LinkOption.NOFOLLOW_LINKS))) {
                created.add(path);
            }
        }
        return created;
    }

    private void run(Run run, StageState state, Instruction instruction) throws IOException {
        String network = run.request.network() == null ? "none" : run.request.network();
        for (Map.Entry<String, String> flag : instruction.flags().entrySet()) {
            if (flag.getKey().equals("network")) {
                network = flag.getValue().equals("default") ? network : flag.getValue();
                if (!network.equals("none") && !network.equals("host")) {
                    throw new BuildException("RUN --network takes none, host or default, not '" + flag.getValue() + "'");
                }
            } else {
                throw new BuildException("RUN --" + flag.getKey() + " is not supported");
            }
        }
        List<String> argv = runArguments(state, instruction);
        Map<String, String> env = new LinkedHashMap<>(state.args);
        state.args.keySet().forEach(run.usedArgs::add);
        env.putAll(state.env());
        String user = state.text("User");
        String workdir = state.workingDir();
        StringBuilder inputs = new StringBuilder(String.join("\0", argv)).append('\0').append(network);
        env.forEach((k, v) -> inputs.append('\0').append(k).append('=').append(v));
        String chosenNetwork = network;
        layerStep(run, state, instruction.display(), inputs.toString(), workspace -> {
            Path log = run.buildDir.resolve("step.log");
            int status = RunStep.run(containers.runtime(), workspace, argv, env, user, workdir, chosenNetwork,
                    run.request.quiet() ? null : out, log);
            if (status != 0) {
                if (run.request.quiet()) {
                    err.print(Files.readString(log, StandardCharsets.UTF_8));
                    err.flush();
                }
                throw new BuildException("the command exited with status " + status);
            }
        });
    }

    /** RUN's command line: the JSON form as it is; the shell form (with its here-documents) run by the SHELL. */
    private static List<String> runArguments(StageState state, Instruction instruction) {
        if (instruction.isExecForm()) {
            return instruction.execForm();
        }
        String script = instruction.arguments();
        List<Heredoc> heredocs = instruction.heredocs();
        if (!heredocs.isEmpty()) {
            if (script.strip().matches("<<-?([\"']?)[A-Za-z_][A-Za-z0-9_.-]*\\1") && heredocs.size() == 1) {
                script = heredocs.get(0).content(); // RUN <<EOF: the document is the script
            } else {
                StringBuilder whole = new StringBuilder(script).append('\n');
                for (Heredoc heredoc : heredocs) {
                    whole.append(heredoc.content()).append(heredoc.name()).append('\n');
                }
                script = whole.toString(); // the shell reads its own here-documents
            }
        }
        List<String> argv = new ArrayList<>(state.shell());
        argv.add(script);
        return argv;
    }

    private void workdir(Run run, StageState state, Instruction instruction, ShellWords words) throws IOException {
        String dir = words.word(instruction.arguments().strip());
        if (dir.isEmpty()) {
            throw new BuildException("WORKDIR needs a path");
        }
        String path = dir.startsWith("/") ? dir : state.workingDir() + "/" + dir;
        String cleaned = absolute(path);
        state.config.put("WorkingDir", cleaned);
        layerStep(run, state, instruction.display(), cleaned, workspace ->
                new FileInstaller(workspace.rootfs(), null, null).directory(cleaned));
    }

    /** An absolute path in the image, cleaned, ".." stopping at the root. */
    static String absolute(String path) {
        return "/" + DockerIgnore.clean(path);
    }

    private void copy(Run run, StageState state, Instruction instruction, ShellWords words) throws IOException {
        String keyword = instruction.keyword();
        String from = null;
        String chown = null;
        Integer chmod = null;
        for (Map.Entry<String, String> flag : instruction.flags().entrySet()) {
            switch (flag.getKey()) {
                case "from" -> from = words.word(flag.getValue());
                case "chown" -> chown = words.word(flag.getValue());
                case "chmod" -> {
                    if (!flag.getValue().matches("[0-7]{3,4}")) {
                        throw new BuildException("--chmod takes an octal mode such as 755, not '" + flag.getValue() + "'");
                    }
                    chmod = Integer.parseInt(flag.getValue(), 8);
                }
                case "link", "parents" -> { }
                default -> throw new BuildException(keyword + " --" + flag.getKey() + " is not supported");
            }
        }
        List<Heredoc> heredocs = instruction.heredocs();
        List<String> operands = new ArrayList<>(instruction.isExecForm()
                ? instruction.execForm().stream().map(words::word).toList() : words.words(instruction.arguments()));
        operands.removeIf(word -> heredocs.stream().anyMatch(h -> word.matches("<<-?[\"']?" + Pattern.quote(h.name())
                + "[\"']?")));
        List<String> sources = new ArrayList<>(operands.subList(0, Math.max(0, operands.size() - 1)));
        if (operands.isEmpty() || (sources.isEmpty() && heredocs.isEmpty())) {
            throw new BuildException(keyword + " needs at least one source and a destination");
        }
        String destination = operands.get(operands.size() - 1);
        boolean intoDirectory = destination.endsWith("/") || sources.size() + heredocs.size() > 1
                || destination.equals(".");
        String dest = destination.startsWith("/") ? destination : state.workingDir() + "/" + destination;
        dest = absolute(dest);
        for (String source : sources) {
            if (source.matches("(?i)https?://.*") || source.matches("(?i)git@.*")) {
                throw new BuildException(keyword + " of the URL " + source + " needs network access, which builds do"
                        + " not have: download it into the build context and " + keyword + " it from there");
            }
        }
        String finalDest = dest;
        String finalChown = chown;
        Integer finalChmod = chmod;
        boolean extract = keyword.equals("ADD");
        StringBuilder inputs = new StringBuilder();
        List<Heredoc> documents = new ArrayList<>();
        for (Heredoc heredoc : heredocs) {
            String content = heredoc.expand() ? words.word(heredoc.content()) : heredoc.content();
            documents.add(new Heredoc(heredoc.name(), content, false));
            inputs.append("heredoc:").append(heredoc.name()).append('\0').append(content).append('\0');
        }
        if (from == null) {
            List<String> matched = new ArrayList<>();
            for (String source : sources) {
                matched.addAll(run.context.sources(source, keyword));
            }
            intoDirectory |= matched.size() > 1;
            inputs.append("context:").append(String.join("\0", matched)).append('\0').append(run.context.digest(matched));
            boolean into = intoDirectory;
            layerStep(run, state, instruction.display(), inputs.toString(), workspace -> {
                FileInstaller installer = installer(workspace.rootfs(), finalChown, finalChmod, false);
                writeDocuments(installer, workspace, documents, finalDest, into);
                for (String source : matched) {
                    Path path = source.isEmpty() ? run.context.root() : run.context.root().resolve(source);
                    if (extract && FileInstaller.isArchive(path)) {
                        installer.extract(path, finalDest);
                    } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        copyContextDirectory(run.context, source, path, installer, finalDest);
                    } else {
                        installer.copy(path, finalDest, into);
                    }
                }
            });
            return;
        }
        copyFrom(run, state, instruction, from, sources, documents, inputs, finalDest, intoDirectory, finalChown,
                finalChmod);
    }

    private void copyFrom(Run run, StageState state, Instruction instruction, String from, List<String> sources,
            List<Heredoc> documents, StringBuilder inputs, String dest, boolean intoDirectory, String chown,
            Integer chmod) throws IOException {
        Stage stage = run.plan.find(from);
        StageState source;
        if (stage != null) {
            source = run.finished.get(stage.index());
            if (source == null) {
                throw new BuildException("COPY --from=" + from + " names a stage that is not built before this one");
            }
        } else {
            source = fromImage(baseImages.resolve(from));
        }
        inputs.append("from:").append(source.cacheKey).append('\0').append(String.join("\0", sources));
        StageState from_ = source;
        layerStep(run, state, instruction.display(), inputs.toString(), workspace -> {
            List<Path> sourceLowers = layerStore.unpack(from_.layers, from_.diffIds);
            try (Workspace view = Workspace.readOnly(run.buildDir, sourceLowers)) {
                FileInstaller installer = installer(workspace.rootfs(), chown, chmod, true);
                writeDocuments(installer, workspace, documents, dest, intoDirectory);
                List<Path> matched = new ArrayList<>();
                for (String pattern : sources) {
                    String cleaned = BuildContext.clean(pattern);
                    if (cleaned == null) {
                        cleaned = "";
                    }
                    List<String> found = SourceGlob.isPattern(cleaned)
                            ? SourceGlob.expand(view.rootfs(), cleaned, p -> false) : List.of(cleaned);
                    for (String relative : found) {
                        Path path = RootfsPaths.resolve(view.rootfs(), relative);
                        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                            throw new BuildException("COPY --from=" + from + ": " + pattern + " was not found");
                        }
                        matched.add(path);
                    }
                }
                boolean into = intoDirectory || matched.size() > 1;
                for (Path path : matched) {
                    installer.copy(path, dest, into);
                }
            }
        });
    }

    /** A context directory's contents, less what .dockerignore excludes inside it. */
    private static void copyContextDirectory(BuildContext context, String source, Path path, FileInstaller installer,
            String dest) throws IOException {
        if (!hasExcludedEntries(context, source, path)) {
            installer.copy(path, dest, true);
            return;
        }
        installer.directory(dest);
        try (var entries = Files.list(path)) {
            for (Path entry : entries.sorted().toList()) {
                String relative = context.root().relativize(entry).toString();
                if (context.excluded(relative)) {
                    continue;
                }
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    copyContextDirectory(context, relative, entry, installer, dest + "/" + entry.getFileName());
                } else {
                    installer.copy(entry, dest, true);
                }
            }
        }
    }

    private static boolean hasExcludedEntries(BuildContext context, String source, Path path) throws IOException {
        try (var walk = Files.walk(path)) {
            return walk.anyMatch(p -> !p.equals(path) && context.excluded(context.root().relativize(p).toString()));
        }
    }

    private static void writeDocuments(FileInstaller installer, Workspace workspace, List<Heredoc> documents,
            String dest, boolean intoDirectory) throws IOException {
        for (Heredoc document : documents) {
            Path file = workspace.dir().resolve("heredoc-" + document.name());
            Path staged = Files.createDirectories(file).resolve(document.name());
            Files.writeString(staged, document.content(), StandardCharsets.UTF_8);
            dev.vessel.os.FileCalls.chmod(staged.toString(), 0644);
            installer.copy(staged, dest, intoDirectory);
        }
    }

    /**
     * The installer for a COPY or ADD: files from the context belong to root unless --chown says
     * otherwise; files from another stage or image keep their owners, as podman (buildah) does.
     */
    private static FileInstaller installer(Path rootfs, String chown, Integer chmod, boolean keepOwners)
            throws IOException {
        FileInstaller.Owner owner = keepOwners ? null : new FileInstaller.Owner(0, 0);
        if (chown != null && !chown.isEmpty()) {
            try {
                UserResolver.ResolvedUser user = UserResolver.forRoot(rootfs).resolve(chown);
                int gid = user.gid();
                if (!chown.contains(":") && chown.matches("\\d+")) {
                    gid = user.uid() == Integer.parseInt(chown) && gid == 0 ? user.uid() : gid;
                }
                owner = new FileInstaller.Owner(user.uid(), gid);
            } catch (IllegalArgumentException e) {
                throw new BuildException("--chown=" + chown + ": " + e.getMessage());
            }
        }
        return new FileInstaller(rootfs, owner, chmod);
    }

    private void addHistory(StageState state, String createdBy, boolean emptyLayer) {
        ObjectNode entry = state.history.addObject();
        entry.put("created", timestamp.toString());
        entry.put("created_by", createdBy);
        entry.put("comment", "vessel build");
        if (emptyLayer) {
            entry.put("empty_layer", true);
        }
    }

    /** The finished image: config and manifest into the store, tagged. */
    private Image commit(Run run, StageState state) throws IOException {
        ObjectNode runConfig = state.config.deepCopy();
        String author = runConfig.has("__author") ? runConfig.remove("__author").asText() : null;
        if (!run.request.labels().isEmpty()) {
            ObjectNode labels = runConfig.path("Labels").isObject() ? (ObjectNode) runConfig.get("Labels")
                    : runConfig.putObject("Labels");
            run.request.labels().forEach(labels::put);
        }
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("created", timestamp.toString());
        if (author != null) {
            config.put("author", author);
        }
        config.put("architecture", state.architecture);
        config.put("os", state.os);
        config.set("config", runConfig);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        state.diffIds.forEach(d -> diffIds.add(d.toString()));
        config.set("history", state.history);
        run.say("COMMIT " + String.join(" ", run.request.tags()));
        byte[] configBytes = Json.mapper().writeValueAsBytes(config);
        Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(configBytes), configBytes.length);
        Digest manifestDigest = Digest.of(Json.bytes(Manifest.oci(configDescriptor, List.copyOf(state.layers))));
        if (alreadyStored(manifestDigest, run.request.tags())) {
            // an unchanged rebuild: the store has this very image under every tag, nothing to write
            run.say("--> " + configDescriptor.digest().hex().substring(0, 12));
            out.println(configDescriptor.digest().hex());
            out.flush();
            return containers.images().resolve(manifestDigest.toString());
        }
        try (StoreWriter writer = containers.images().writer()) {
            Descriptor configBlob = writer.putBlob(configBytes, MediaTypes.OCI_CONFIG);
            for (Descriptor layer : state.layers) {
                if (!writer.hasBlob(layer.digest())) {
                    throw new BuildException("the layer " + layer.digest() + " left the store during the build: build again");
                }
            }
            Image image = writer.putImage(Json.bytes(Manifest.oci(configBlob, List.copyOf(state.layers))));
            for (String tag : run.request.tags()) {
                writer.tag(ImageReference.parse(tag), image.manifestDigest());
            }
            writer.commit();
            run.say("--> " + image.id().hex().substring(0, 12));
            for (String tag : run.request.tags()) {
                run.say("Successfully tagged " + ImageReference.parse(tag));
            }
            out.println(image.id().hex());
            out.flush();
            return image;
        }
    }

    private boolean alreadyStored(Digest manifestDigest, List<String> tags) throws IOException {
        var stored = containers.images().state();
        if (!stored.images().containsKey(manifestDigest.toString())) {
            return false;
        }
        for (String tag : tags) {
            if (!manifestDigest.equals(stored.references().get(ImageReference.parse(tag).toString()))) {
                return false;
            }
        }
        return true;
    }
}
