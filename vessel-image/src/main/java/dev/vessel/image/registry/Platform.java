package dev.vessel.image.registry;

import java.util.Locale;

/** An OS/architecture/variant triple, as in {@code --platform linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {
    public static final Platform DEFAULT = new Platform("linux", "amd64", null);

    public static Platform parse(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw new IllegalArgumentException("invalid platform \"" + text + "\": expected OS/ARCH[/VARIANT], e.g. linux/arm64");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Whether an index entry's platform fits this request (a missing variant accepts any, arm64 defaults to v8). */
    public boolean matches(String os, String architecture, String variant) {
        if (!this.os.equals(os) || !this.architecture.equals(architecture)) {
            return false;
        }
        if (this.variant == null) {
            return true;
        }
        String actual = variant;
        if (actual == null && "arm64".equals(architecture)) {
            actual = "v8";
        }
        return this.variant.equals(actual);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
