package dev.vessel.image;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference normalised the way Docker and Podman do: {@code busybox} is
 * {@code docker.io/library/busybox:latest}; {@code localhost/x:1}, {@code host:5000/a/b:tag}
 * and {@code name@sha256:...} keep their registry. A reference has a tag, a digest, or both
 * (a tag defaults to {@code latest} only when there is no digest).
 *
 * @param domain the registry host (with port), e.g. {@code docker.io}
 * @param path   the repository path inside the registry, e.g. {@code library/busybox}
 * @param tag    the tag, or null
 * @param digest the manifest digest, or null
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
                    + "|\\[[0-9a-fA-F:.]+\\](?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    /**
     * Parses and normalises a reference; throws {@link IllegalArgumentException} with a
     * one-line message naming the bad reference.
     */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("invalid reference format: empty image name");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid reference format: " + text + " (" + e.getMessage() + ")");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("invalid reference format: bad tag in " + text);
            }
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT)))) {
            domain = first;
            path = rest.substring(slash + 1);
        } else {
            domain = DEFAULT_DOMAIN;
            path = rest;
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("invalid reference format: bad registry host in " + text);
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("invalid reference format: empty repository name in " + text);
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                String why = component.equals(component.toLowerCase(Locale.ROOT))
                        ? "invalid reference format: " + text
                        : "invalid reference format: repository name must be lowercase: " + text;
                throw new IllegalArgumentException(why);
            }
        }
        if (domain.equals(DEFAULT_DOMAIN) && HEX64.matcher(path.substring(path.lastIndexOf('/') + 1)).matches()
                && path.startsWith("library/")) {
            throw new IllegalArgumentException("invalid repository name (" + text
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** The repository name with its registry, e.g. {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The name as Docker shows it: {@code busybox}, {@code user/app}, {@code localhost/x}. */
    public String familiarName() {
        if (domain.equals(DEFAULT_DOMAIN)) {
            return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        }
        return name();
    }

    /** The familiar name with tag and digest, e.g. {@code busybox:latest}. */
    public String familiarString() {
        return familiarName() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(domain, path, newTag, null);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(domain, path, null, newDigest);
    }

    /** True for a name:tag reference (what the store's reference table holds). */
    public boolean isTagged() {
        return tag != null && digest == null;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
