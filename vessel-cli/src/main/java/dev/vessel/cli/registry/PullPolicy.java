package dev.vessel.cli.registry;

import dev.vessel.cli.Vessel;
import dev.vessel.cli.VesselException;
import dev.vessel.image.ImageNotFoundException;
import dev.vessel.image.ImageStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --pull missing|always|never} of run, create and build: pulls the image first when the
 * policy asks for it (missing: only when the store has none), as Docker does. The pull is the
 * `pull` verb run in-process, its messages on {@code err}.
 */
public final class PullPolicy {
    private PullPolicy() {
    }

    /**
     * Applies the policy to {@code image} in the store under {@code root}; a failed pull of an image
     * the store lacks is a {@link VesselException}.
     *
     * @param announce print Docker's "Unable to find image ... locally" before pulling a missing image
     */
    public static void apply(Path root, String image, String policy, boolean tlsVerify, boolean announce,
            PrintWriter err) throws IOException {
        boolean present;
        try {
            ImageStore.open(root).resolve(image);
            present = true;
        } catch (ImageNotFoundException e) {
            present = false;
        }
        switch (policy) {
            case "never" -> {
                return;
            }
            case "missing" -> {
                if (present) {
                    return;
                }
                if (announce) {
                    err.println("Unable to find image '" + image + "' locally");
                }
            }
            case "always" -> { }
            default -> throw new IllegalArgumentException("invalid --pull '" + policy + "': use always, missing or never");
        }
        List<String> pull = new ArrayList<>(List.of("--root", root.toString(), "pull"));
        if (!announce) {
            pull.add("-q");
        }
        if (!tlsVerify) {
            pull.add("--tls-verify=false");
        }
        pull.add(image);
        int status = Vessel.execute(pull.toArray(String[]::new), err, err);
        if (status != 0 && !present) {
            throw new VesselException("pulling " + image + " failed (see above)");
        }
    }
}
