package dev.vessel.engine.spec;

import dev.vessel.os.AtomicFiles;
import dev.vessel.os.json.JsonObject;
import dev.vessel.os.json.PlainJson;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The /etc/passwd and /etc/group that a stack of image layers shows, read once through a mounted
 * overlay and kept beside the top layer ({@code layers/<chain-id>/etc-users.json}; a chain ID
 * names the whole stack, and the file goes when the layer does). A new container's user is then
 * resolved without mounting its root file system first, which the runtime can do instead.
 */
public final class ImageUserFiles {
    private static final String FILE = "etc-users.json";

    private ImageUserFiles() {
    }

    /** The users of these layers (lowest first) as remembered, or null when they were not read yet. */
    public static UserResolver remembered(List<Path> layers) throws IOException {
        if (layers.isEmpty()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file(layers));
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            JsonObject files = JsonObject.root(PlainJson.parse(bytes));
            return UserResolver.of(files.str("passwd"), files.str("group"));
        } catch (IOException | RuntimeException damaged) {
            return null; // read them again
        }
    }

    /** Reads the files through the layers' mounted overlay, remembers them, and returns their users. */
    public static UserResolver readAndRemember(List<Path> layers, Path mountedRootfs) throws IOException {
        String passwd = UserResolver.read(mountedRootfs, "etc/passwd");
        String group = UserResolver.read(mountedRootfs, "etc/group");
        if (!layers.isEmpty()) {
            Map<String, Object> files = new LinkedHashMap<>();
            files.put("passwd", passwd);
            files.put("group", group);
            // not fsync'ed: a lost or torn copy is read again (see remembered)
            AtomicFiles.replace(file(layers), PlainJson.write(files, false));
        }
        return UserResolver.of(passwd, group);
    }

    private static Path file(List<Path> layers) {
        return layers.get(layers.size() - 1).resolveSibling(FILE);
    }
}
