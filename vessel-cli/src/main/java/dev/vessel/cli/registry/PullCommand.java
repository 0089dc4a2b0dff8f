package dev.vessel.cli.registry;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.registry.Platform;
import dev.vessel.image.registry.Puller;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.TransferListener;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vessel pull [--platform os/arch] [-q] [--tls-verify=false] REF}. */
final class PullCommand extends VesselCommand {
    RegistryOptions registry;

    String platform;

    boolean quiet;

    String reference;

    /** A fresh model of `pull`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        PullCommand c = new PullCommand();
        SpecBuilder s = SpecBuilder.command(c, "pull", "Pull an image from a registry into the store.");
        c.registry = new RegistryOptions().addTo(s);
        s.option(String.class, v -> c.platform = v, "Platform to choose from a multi-platform image (default linux/amd64).",
                "--platform").label("OS/ARCH[/VARIANT]");
        s.flag(v -> c.quiet = v, "Print only the image reference when done.", "-q", "--quiet");
        s.positional("0", "REF", v -> c.reference = v, "Image reference, e.g. busybox, host:5000/app:1, name@sha256:...");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

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
