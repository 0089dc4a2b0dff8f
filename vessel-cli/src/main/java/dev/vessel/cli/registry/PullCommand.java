package dev.vessel.cli.registry;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.registry.Platform;
import dev.vessel.image.registry.Puller;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.TransferListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel pull [--platform os/arch] [-q] [--tls-verify=false] REF}. */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Pull an image from a registry into the store.")
final class PullCommand extends VesselCommand {
    @Mixin
    RegistryOptions registry;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform to choose from a multi-platform image (default linux/amd64).")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image reference when done.")
    boolean quiet;

    @Parameters(paramLabel = "REF", description = "Image reference, e.g. busybox, host:5000/app:1, name@sha256:...")
    String reference;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = RegistryOptions.parse(reference);
        Platform chosen;
        try {
            chosen = platform == null ? Platform.DEFAULT : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new VesselException(e.getMessage());
        }
        boolean showProgress = !quiet && RegistryOptions.onTerminal();
        if (!quiet) {
            out().println((ref.tag() != null ? ref.tag() : ref.digest()) + ": Pulling from " + ref.path());
            out().flush();
        }
        Puller.Result result;
        try (RegistryClient client = registry.connect(ref.domain(), null);
             TerminalProgress progress = showProgress ? new TerminalProgress(err(), "Downloading") : null) {
            TransferListener listener = progress != null ? progress : TransferListener.NONE;
            result = new Puller(ImageStore.open(root()), client, RegistryOptions.PARALLEL).pull(ref, chosen, listener);
        }
        if (!quiet) {
            out().println("Digest: " + result.manifestDigest());
            out().println("Status: " + (result.upToDate() ? "Image is up to date for " : "Downloaded newer image for ")
                    + ref.familiarString());
        }
        out().println(ref);
        return 0;
    }
}
