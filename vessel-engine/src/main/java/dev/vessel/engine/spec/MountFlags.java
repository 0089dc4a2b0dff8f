package dev.vessel.engine.spec;

import dev.vessel.engine.container.HostConfig.MountRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses {@code -v/--volume}, {@code --mount} and {@code --tmpfs} as Docker does. */
public final class MountFlags {
    private MountFlags() {
    }

    /** {@code -v [SOURCE:]TARGET[:OPTIONS]}: a host path (starting with / or .) binds; a name is a volume; none is anonymous. */
    public static MountRequest volume(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length > 3 || text.isEmpty()) {
            throw new IllegalArgumentException("invalid volume specification '" + text + "'");
        }
        String source = parts.length >= 2 ? parts[0] : "";
        String target = parts.length >= 2 ? parts[1] : parts[0];
        List<String> options = parts.length == 3 ? List.of(parts[2].split(",")) : List.of();
        checkTarget(target, text);
        boolean readOnly = false;
        List<String> kept = new ArrayList<>();
        for (String option : options) {
            switch (option) {
                case "ro" -> readOnly = true;
                case "rw", "z", "Z", "" -> { }
                case "private", "rprivate", "shared", "rshared", "slave", "rslave", "nocopy" -> kept.add(option);
                default -> throw new IllegalArgumentException("invalid mode '" + option + "' in volume '" + text + "'");
            }
        }
        if (source.isEmpty()) {
            return new MountRequest("volume", "", target, readOnly, kept);
        }
        if (source.startsWith("/") || source.startsWith(".")) {
            return new MountRequest("bind", source, target, readOnly, kept);
        }
        checkVolumeName(source, text);
        return new MountRequest("volume", source, target, readOnly, kept);
    }

    /** {@code --mount type=bind|volume|tmpfs,source=...,target=...,readonly,...}. */
    public static MountRequest mount(String text) {
        String type = "volume";
        String source = "";
        String target = null;
        boolean readOnly = false;
        List<String> options = new ArrayList<>();
        for (String field : text.split(",")) {
            String[] keyValue = field.split("=", 2);
            String key = keyValue[0].strip().toLowerCase(Locale.ROOT);
            String value = keyValue.length == 2 ? keyValue[1].strip() : null;
            switch (key) {
                case "type" -> type = required(value, key, text);
                case "source", "src" -> source = required(value, key, text);
                case "target", "destination", "dst" -> target = required(value, key, text);
                case "readonly", "ro" -> readOnly = value == null || value.equals("true") || value.equals("1");
                case "bind-propagation" -> options.add(required(value, key, text));
                case "tmpfs-size" -> options.add("size=" + ByteSizes.parse(required(value, key, text)));
                case "tmpfs-mode" -> options.add("mode=" + required(value, key, text));
                case "volume-nocopy", "consistency" -> { }
                default -> throw new IllegalArgumentException("unknown --mount field '" + key + "' in '" + text + "'");
            }
        }
        if (!List.of("bind", "volume", "tmpfs").contains(type)) {
            throw new IllegalArgumentException("unsupported mount type '" + type + "': use bind, volume or tmpfs");
        }
        if (target == null) {
            throw new IllegalArgumentException("--mount '" + text + "' needs a target");
        }
        checkTarget(target, text);
        if (type.equals("bind") && !source.startsWith("/")) {
            throw new IllegalArgumentException("bind mount source must be an absolute path, got '" + source + "'");
        }
        if (type.equals("volume") && !source.isEmpty()) {
            checkVolumeName(source, text);
        }
        if (type.equals("tmpfs") && !source.isEmpty()) {
            throw new IllegalArgumentException("a tmpfs mount takes no source: '" + text + "'");
        }
        return new MountRequest(type, source, target, readOnly, List.copyOf(options));
    }

    /** {@code --tmpfs TARGET[:OPTIONS]}, with Docker's defaults noexec,nosuid,nodev. */
    public static MountRequest tmpfs(String text) {
        int colon = text.indexOf(':');
        String target = colon < 0 ? text : text.substring(0, colon);
        checkTarget(target, text);
        List<String> options = new ArrayList<>(List.of("noexec", "nosuid", "nodev"));
        if (colon >= 0) {
            for (String option : text.substring(colon + 1).split(",")) {
                if (option.startsWith("size=")) {
                    options.add("size=" + ByteSizes.parse(option.substring(5)));
                } else if (option.equals("exec")) {
                    options.remove("noexec");
                } else if (!option.isEmpty()) {
                    options.add(option);
                }
            }
        }
        return new MountRequest("tmpfs", "", target, options.contains("ro"), List.copyOf(options));
    }

    private static String required(String value, String key, String text) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--mount field '" + key + "' needs a value in '" + text + "'");
        }
        return value;
    }

    private static void checkTarget(String target, String text) {
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("invalid mount target '" + target + "' in '" + text + "': it must be an absolute path");
        }
        if (target.equals("/")) {
            throw new IllegalArgumentException("invalid mount target '/' in '" + text + "'");
        }
    }

    private static void checkVolumeName(String name, String text) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("invalid volume name '" + name + "' in '" + text + "'");
        }
    }
}
