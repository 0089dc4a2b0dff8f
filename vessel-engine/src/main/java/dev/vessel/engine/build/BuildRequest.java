package dev.vessel.engine.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What `vessel build` was asked to do.
 *
 * @param context the build context directory (a tar on stdin is unpacked into one first)
 * @param containerfile the Containerfile or Dockerfile to read
 * @param tags the references to tag the image with
 * @param buildArgs --build-arg values
 * @param target the stage to build (null: the last)
 * @param noCache build every step, reusing nothing
 * @param labels --label values, added to the image's labels
 * @param network "none" (the default) or "host" for RUN steps
 * @param quiet print only the image ID
 */
public record BuildRequest(Path context, Path containerfile, List<String> tags, Map<String, String> buildArgs,
        String target, boolean noCache, Map<String, String> labels, String network, boolean quiet) {
}
