package dev.vessel.image.registry;

import java.util.regex.Pattern;

/**
 * Where an image lives in a registry: registry host (with port), repository, and a tag and/or
 * digest. Short names expand as Docker's do: {@code busybox} is
 * {@code docker.io/library/busybox:latest}.
 */
public record RemoteReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?|\\[[0-9A-Fa-f:]+\\](?::[0-9]+)?");

    public RemoteReference {
        if (tag == null && digest == null) {
            tag = "latest";
        }
    }

    /** Parses and normalises a reference as Docker does; throws IllegalArgumentException with a clear message. */
    public static RemoteReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty image reference");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("invalid digest in image reference \"" + text + "\"");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("invalid tag \"" + tag + "\" in image reference \"" + text + "\"");
            }
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                registry = first;
                path = rest.substring(slash + 1);
                if (!HOST.matcher(registry).matches()) {
                    throw new IllegalArgumentException("invalid registry \"" + registry + "\" in image reference \"" + text + "\"");
                }
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("invalid repository name \"" + path + "\" in image reference \"" + text
                        + "\" (lower-case letters, digits and separators only)");
            }
        }
        return new RemoteReference(registry, path, tag, digest);
    }

    /** The tag or digest as used in a manifest URL (the digest wins when both are given). */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    public RemoteReference withDigest(String newDigest) {
        return new RemoteReference(registry, repository, tag, newDigest);
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
