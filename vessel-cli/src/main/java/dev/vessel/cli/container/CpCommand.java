package dev.vessel.cli.container;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.engine.container.ContainerRecord;
import dev.vessel.engine.rootfs.FileCopier;
import dev.vessel.engine.spec.RootfsPaths;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class CpCommand extends ContainerCommand {
    String source;
    String destination;

    /** A fresh model of `cp`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        CpCommand c = new CpCommand();
        SpecBuilder s = SpecBuilder.command(c, "cp", "Copy files/folders between a container and the local filesystem: CONTAINER:SRC_PATH DEST_PATH or SRC_PATH CONTAINER:DEST_PATH");
        s.positional("0", "SRC", v -> c.source = v, "");
        s.positional("1", "DEST", v -> c.destination = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int execute() throws Exception {
        int fromColon = containerSeparator(source);
        int toColon = containerSeparator(destination);
        if ((fromColon < 0) == (toColon < 0)) {
            throw new IllegalArgumentException("copying between containers or between local paths is not supported:"
                    + " one of SRC and DEST must be CONTAINER:PATH");
        }
        if (fromColon >= 0) {
            ContainerRecord record = containers().find(source.substring(0, fromColon));
            String inside = source.substring(fromColon + 1);
            containers().withRootfs(record, rootfs -> {
                FileCopier.copy(inContainer(rootfs, inside), inside.endsWith("/."), Path.of(destination));
                return null;
            });
        } else {
            ContainerRecord record = containers().find(destination.substring(0, toColon));
            String inside = destination.substring(toColon + 1);
            containers().withRootfs(record, rootfs -> {
                FileCopier.copy(Path.of(source), source.endsWith("/."), inContainer(rootfs, inside));
                return null;
            });
        }
        return 0;
    }

    /** The container side names a container: a name without '/' before the colon (a local path has one, or starts with '.'). */
    private static int containerSeparator(String argument) {
        int colon = argument.indexOf(':');
        if (colon <= 0 || argument.substring(0, colon).contains("/") || argument.startsWith(".")) {
            return -1;
        }
        return colon;
    }

    /** A container path resolved inside its root (symlinks in the parents stay inside), the last name as is. */
    private static Path inContainer(Path rootfs, String inside) {
        String clean = inside.endsWith("/.") ? inside.substring(0, inside.length() - 2) : inside;
        Path asPath = Path.of("/").resolve(clean).normalize();
        if (asPath.getFileName() == null) {
            return rootfs;
        }
        Path parent = asPath.getParent() == null ? rootfs : RootfsPaths.resolve(rootfs, asPath.getParent().toString());
        if (parent == null) {
            throw new IllegalArgumentException("too many levels of symbolic links in " + inside);
        }
        return parent.resolve(asPath.getFileName().toString());
    }
}
