package dev.vessel.engine.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Container IDs as Docker makes them: 64 random hex digits, shown as their first 12. */
public final class ContainerIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final List<String> ADJECTIVES = List.of("admiring", "bold", "brave", "calm", "clever",
            "eager", "elastic", "festive", "focused", "gallant", "happy", "jolly", "keen", "loving", "modest",
            "nifty", "quirky", "serene", "sharp", "stoic", "tender", "upbeat", "vibrant", "wizardly", "zen");
    private static final List<String> NOUNS = List.of("babbage", "bell", "curie", "darwin", "einstein",
            "euler", "fermat", "galileo", "hopper", "hypatia", "kepler", "lamport", "lovelace", "maxwell",
            "newton", "noether", "pascal", "ritchie", "shannon", "thompson", "torvalds", "turing", "wozniak");

    private ContainerIds() {
    }

    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static boolean isId(String text) {
        return ID.matcher(text).matches();
    }

    public static String shortId(String id) {
        return id.substring(0, 12);
    }

    /** A generated name such as {@code jolly_turing}, as Docker gives when --name is not set. */
    public static String newName() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + NOUNS.get(RANDOM.nextInt(NOUNS.size()));
    }

    /** Docker's rule for --name: letters, digits and _ . - , starting with a letter or digit. */
    public static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid container name '" + name
                    + "': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }
}
