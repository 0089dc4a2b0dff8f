package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

import dev.vessel.cli.VesselException;
import dev.vessel.image.Image;
import dev.vessel.image.ImageNotFoundException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.StoreWriter;
import java.util.ArrayList;
import java.util.List;

/** `vessel rmi`, and `vessel image rm` (its model declared in code, see {@link SpecBuilder}). */
public final class RmiCommand extends ImageCommandBase {
    List<String> images;
    boolean force;
    boolean noPrune;

    /** A fresh model under name (rmi, or image's rm) and its aliases. */
    static CommandSpec spec(String name, String... aliases) {
        RmiCommand c = new RmiCommand();
        SpecBuilder s = SpecBuilder.command(c, name,
                "Remove images: a name removes that tag (and the image with its last tag); an ID removes the image.");
        s.spec().aliases(aliases);
        s.oneOrMore("0", "IMAGE", v -> c.images = v, "");
        s.flag(v -> c.force = v, "Remove an image ID even when several names refer to it.", "-f", "--force");
        s.flag(v -> c.noPrune = v, "Accepted for compatibility.", "--no-prune");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        List<String> errors = new ArrayList<>();
        java.util.Map<String, String> inUse = imagesInUse();
        try (StoreWriter writer = store().writer()) {
            for (String text : images) {
                try {
                    remove(writer, text, inUse);
                } catch (ImageNotFoundException e) {
                    errors.add(e.getMessage());
                } catch (VesselException e) {
                    errors.add(e.getMessage());
                }
            }
            writer.commit();
        }
        if (!errors.isEmpty()) {
            throw new VesselException(NOT_FOUND, String.join("; ", errors));
        }
        return 0;
    }

    private void remove(StoreWriter writer, String text, java.util.Map<String, String> inUse)
            throws java.io.IOException {
        Image image = writer.resolve(text);
        ImageReference named = asName(text, image);
        String container = inUse.get(image.id().toString());
        if (container != null && (named == null || image.tags().size() <= 1)) {
            if (named != null && force) {
                // Docker: a forced removal of the last name keeps an image a container still uses.
                writer.untag(named);
                out().println("Untagged: " + named.familiarString());
                return;
            }
            throw new VesselException("conflict: unable to remove repository reference \"" + text
                    + "\" (must force) - container " + container.substring(0, 12) + " is using its referenced image "
                    + image.id().shortHex());
        }
        if (named != null && image.tags().size() > 1) {
            writer.untag(named);
            out().println("Untagged: " + named.familiarString());
            return;
        }
        if (named == null && image.tags().stream().map(ImageReference::name).distinct().count() > 1 && !force) {
            throw new VesselException("conflict: unable to delete " + image.id().shortHex()
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        // Every manifest sharing this ID goes (an ID names them all).
        List<Image> doomed = named == null
                ? writer.images().stream().filter(i -> i.id().equals(image.id())).toList()
                : List.of(image);
        for (Image i : doomed) {
            for (ImageReference tag : i.tags()) {
                out().println("Untagged: " + tag.familiarString());
            }
        }
        for (Image i : doomed) {
            writer.removeImage(i.manifestDigest());
        }
        boolean stillThere = writer.images().stream().anyMatch(i -> i.id().equals(image.id()));
        if (!stillThere) {
            out().println("Deleted: " + image.id());
        }
    }

    /** The tag the user named, or null when they named an ID or digest. */
    private static ImageReference asName(String text, Image image) {
        try {
            ImageReference ref = ImageReference.parse(text);
            return ref.isTagged() && image.tags().contains(ref) ? ref : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

}
