package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.cli.registry.PullPolicy;
import dev.vessel.engine.Containers;
import dev.vessel.engine.build.BuildException;
import dev.vessel.engine.build.BuildRequest;
import dev.vessel.engine.build.ImageBuilder;
import dev.vessel.image.Image;
import dev.vessel.image.ImageNotFoundException;
import dev.vessel.image.ImageReference;
import dev.vessel.os.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** `vessel build`: an image from a Containerfile (or Dockerfile) and a context directory, or a tar on stdin. */
/** `vessel build` and `vessel image build` (its model declared in code, see {@link SpecBuilder}). */
public final class BuildCommand extends VesselCommand {
    List<String> tags = new ArrayList<>();
    Path file;
    List<String> buildArgs = new ArrayList<>();
    String target;
    boolean noCache;
    List<String> labels = new ArrayList<>();
    boolean quiet;
    String network;
    String pull;
    boolean tlsVerify;
    boolean removeIntermediate;
    String context;

    static CommandSpec spec() {
        BuildCommand c = new BuildCommand();
        SpecBuilder s = SpecBuilder.command(c, "build", "Build an image from a Containerfile or Dockerfile");
        s.repeatable(v -> c.tags = v, "Name and optionally a tag (repeatable)", "-t", "--tag").label("NAME[:TAG]");
        s.option(Path.class, v -> c.file = v, "The Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile)",
                "-f", "--file").label("FILE");
        s.repeatable(v -> c.buildArgs = v, "Set a build-time variable (repeatable)", "--build-arg").label("KEY=VALUE");
        s.option(String.class, v -> c.target = v, "Build this stage (and what it needs) only", "--target").label("STAGE");
        s.flag(v -> c.noCache = v, "Do not reuse cached steps", "--no-cache");
        s.repeatable(v -> c.labels = v, "Set a label on the image (repeatable)", "--label").label("KEY=VALUE");
        s.flag(v -> c.quiet = v, "Print only the image ID", "-q", "--quiet");
        s.option("none", v -> c.network = v, "Network of RUN steps: none (default) or host", "--network").label("MODE");
        s.optionalValue(String.class, "missing", "always", v -> c.pull = v,
                "Pull base images: missing (default), always, never", "--pull").label("POLICY");
        s.optionalValue(boolean.class, "true", "true", v -> c.tlsVerify = v,
                "Verify the registry's TLS certificate when pulling base images (default true)", "--tls-verify");
        s.optionalValue(boolean.class, null, "true", v -> c.removeIntermediate = v,
                "Accepted for Docker compatibility: build containers are always removed", "--rm", "--force-rm")
                .hiddenOption();
        s.positional("0", "CONTEXT", v -> c.context = v, "The context directory, or - for a tar on stdin");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        if (!network.equals("none") && !network.equals("host")) {
            throw new VesselException("invalid --network '" + network + "': builds take none or host");
        }
        String policy = switch (pull) {
            case "true", "always" -> "always";
            case "false", "missing" -> "missing";
            case "never" -> "never";
            default -> throw new VesselException("invalid --pull '" + pull + "': use always, missing or never");
        };
        for (String tag : tags) {
            try {
                ImageReference.parse(tag);
            } catch (RuntimeException e) {
                throw new VesselException("invalid tag '" + tag + "': " + e.getMessage());
            }
        }
        Containers containers = new Containers(root());
        Path unpacked = null;
        try {
            Path contextDir;
            if (context.equals("-")) {
                unpacked = root().resolve("build").resolve("context-" + Long.toHexString(System.nanoTime()));
                ImageBuilder.unpackContext(System.in, unpacked);
                contextDir = unpacked;
            } else {
                contextDir = Path.of(context);
                if (!Files.isDirectory(contextDir)) {
                    throw new VesselException("the build context " + context + " is not a directory");
                }
            }
            Path containerfile = containerfile(contextDir, unpacked != null);
            BuildRequest request = new BuildRequest(contextDir, containerfile, List.copyOf(tags), pairs(buildArgs, true),
                    target, noCache, pairs(labels, false), network, quiet);
            new ImageBuilder(containers, reference -> baseImage(containers, reference, policy), out(), err())
                    .build(request);
            return 0;
        } catch (BuildException e) {
            throw new VesselException(e.status(), e.getMessage());
        } finally {
            if (unpacked != null) {
                AtomicFiles.deleteTree(unpacked);
            }
        }
    }

    private Path containerfile(Path contextDir, boolean fromTar) {
        if (file != null) {
            Path chosen = fromTar && !file.isAbsolute() ? contextDir.resolve(file) : file;
            if (!Files.isRegularFile(chosen)) {
                throw new VesselException("the Containerfile " + file + " does not exist");
            }
            return chosen;
        }
        for (String name : List.of("Containerfile", "Dockerfile")) {
            if (Files.isRegularFile(contextDir.resolve(name))) {
                return contextDir.resolve(name);
            }
        }
        throw new VesselException("no Containerfile or Dockerfile in " + (fromTar ? "the context on stdin" : context)
                + ": name one with -f");
    }

    /** KEY=VALUE pairs; a bare KEY of --build-arg takes the caller's environment variable, as Docker does. */
    private static Map<String, String> pairs(List<String> values, boolean fromEnvironment) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String value : values) {
            int equals = value.indexOf('=');
            if (equals < 0) {
                String env = fromEnvironment ? System.getenv(value) : null;
                if (env != null || !fromEnvironment) {
                    map.put(value, env == null ? "" : env);
                }
            } else {
                map.put(value.substring(0, equals), value.substring(equals + 1));
            }
        }
        return map;
    }

    /** A base image from the store, pulled first when the --pull policy says so. */
    private Image baseImage(Containers containers, String reference, String policy) throws IOException {
        try {
            PullPolicy.apply(root(), reference, policy, tlsVerify, false, err());
        } catch (VesselException e) {
            throw new BuildException("pulling the base image " + reference + " failed (see above)");
        }
        try {
            return containers.images().resolve(reference);
        } catch (ImageNotFoundException e) {
            throw new BuildException("the image " + reference + " is not in the store"
                    + (policy.equals("never") ? " and --pull=never forbids pulling it" : ""));
        }
    }
}
