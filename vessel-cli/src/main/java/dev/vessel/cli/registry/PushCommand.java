package dev.vessel.cli.registry;

import dev.vessel.cli.VesselCommand;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.registry.Pusher;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.TransferListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel push [-q] [--tls-verify=false] REF [DEST]}. */
@Command(name = "push", mixinStandardHelpOptions = true, description = "Push an image from the store to a registry.")
final class PushCommand extends VesselCommand {
    @Mixin
    RegistryOptions registry;

    @Option(names = {"-q", "--quiet"}, description = "Print only the pushed reference.")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "REF", description = "Image in the store (name:tag or ID).")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST", description = "Where to push it (default: REF's own name).")
    String destination;

    @Override
    public Integer call() throws Exception {
        ImageStore store = ImageStore.open(root());
        Image image = store.resolve(source);
        ImageReference dest = RegistryOptions.parse(destination != null ? destination : source);
        boolean showProgress = !quiet && RegistryOptions.onTerminal();
        if (!quiet) {
            out().println("The push refers to repository [" + dest.name() + "]");
            out().flush();
        }
        Pusher.Result result;
        try (RegistryClient client = registry.connect(dest.domain(), null);
             TerminalProgress progress = showProgress ? new TerminalProgress(err(), "Pushing") : null) {
            TransferListener listener = progress != null ? progress : TransferListener.NONE;
            result = new Pusher(store, client, RegistryOptions.PARALLEL).push(image, dest, listener);
        }
        if (quiet) {
            out().println(dest);
        } else {
            out().println((dest.tag() != null ? dest.tag() : dest.digest()) + ": digest: " + result.manifestDigest()
                    + " size: " + store.blobSize(result.manifestDigest()));
        }
        return 0;
    }
}
