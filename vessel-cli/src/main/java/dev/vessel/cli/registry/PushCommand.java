package dev.vessel.cli.registry;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.registry.Pusher;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.TransferListener;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vessel push [-q] [--tls-verify=false] REF [DEST]}. */
final class PushCommand extends VesselCommand {
    RegistryOptions registry;

    boolean quiet;

    String source;

    String destination;

    /** A fresh model of `push`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        PushCommand c = new PushCommand();
        SpecBuilder s = SpecBuilder.command(c, "push", "Push an image from the store to a registry.");
        c.registry = new RegistryOptions().addTo(s);
        s.flag(v -> c.quiet = v, "Print only the pushed reference.", "-q", "--quiet");
        s.positional("0", "REF", v -> c.source = v, "Image in the store (name:tag or ID).");
        s.optionalPositional("1", "DEST", v -> c.destination = v, "Where to push it (default: REF's own name).");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

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
