package dev.vessel.cli.image;

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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `vessel build`: an image from a Containerfile (or Dockerfile) and a context directory, or a tar on stdin. */
@Command(name = "build", description = "Build an image from a Containerfile or Dockerfile")
public final class BuildCommand extends VesselCommand {
    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name and optionally a tag (repeatable)")
    List<String> tags = new ArrayList<>();
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile)")
    Path file;
    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "Set a build-time variable (repeatable)")
    List<String> buildArgs = new ArrayList<>();
    @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage (and what it needs) only")
    String target;
    @Option(names = "--no-cache", description = "Do not reuse cached steps")
    boolean noCache;
    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set a label on the image (repeatable)")
    List<String> labels = new ArrayList<>();
    @Option(names = {"-q", "--quiet"}, description = "Print only the image ID")
    boolean quiet;
    @Option(names = "--network", paramLabel = "MODE", defaultValue = "none",
            description = "Network of RUN steps: none (default) or host")
    String network;
    @Option(names = "--pull", paramLabel = "POLICY", arity = "0..1", fallbackValue = "always", defaultValue = "missing",
            description = "Pull base images: missing (default), always, never")
    String pull;
    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Verify the registry's TLS certificate when pulling base images (default true)")
    boolean tlsVerify;
    @Option(names = {"--rm", "--force-rm"}, hidden = true, arity = "0..1", fallbackValue = "true",
            description = "Accepted for Docker compatibility: build containers are always removed")
    boolean removeIntermediate;
    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The context directory, or - for a tar on stdin")
    String context;

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
