package dev.vessel.image.archive;

/** The host's platform in OCI terms. */
public final class Platforms {
    private Platforms() {
    }

    public static String hostArchitecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
