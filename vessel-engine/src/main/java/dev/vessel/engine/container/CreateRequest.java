package dev.vessel.engine.container;

import java.util.List;

/**
 * What `vessel create` and `vessel run` ask for, before the image's defaults are merged in.
 *
 * @param image the image reference or ID as typed
 * @param name the --name, or null for a generated one
 * @param command the command after the image (replaces the image's Cmd), empty for the image's
 * @param entrypoint --entrypoint, or null to keep the image's ("" clears it)
 * @param env -e and --env-file variables (NAME=VALUE, or NAME to take the caller's value)
 * @param config the remaining Config fields as given (hostname, user, working dir, tty, labels, stop signal)
 * @param host the HostConfig as given
 */
public record CreateRequest(String image, String name, List<String> command, String entrypoint, List<String> env,
        ContainerConfig config, HostConfig host) {
}
