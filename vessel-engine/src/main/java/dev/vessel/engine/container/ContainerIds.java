package dev.vessel.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Container IDs as Docker makes them: 64 random hex digits, shown as their first 12. */
public final class ContainerIds {
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
        return HexFormat.of().formatHex(randomBytes(32));
    }

    /**
     * Random bytes from the kernel's /dev/urandom, where SecureRandom reads them too: a
     * SecureRandom first loads the security providers, which costs a CLI run more than the rest
     * of choosing an ID.
     */
    private static byte[] randomBytes(int count) {
        try (InputStream in = Files.newInputStream(Path.of("/dev/urandom"))) {
            byte[] bytes = in.readNBytes(count);
            if (bytes.length == count) {
                return bytes;
            }
        } catch (IOException e) {
            // no /dev/urandom (a chroot without /dev): SecureRandom finds another source
        }
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    public static boolean isId(String text) {
        return ID.matcher(text).matches();
    }

    public static String shortId(String id) {
        return id.substring(0, 12);
    }

    /** A generated name such as {@code jolly_turing}, as Docker gives when --name is not set. */
    public static String newName() {
        byte[] pick = randomBytes(2);
        return ADJECTIVES.get(Byte.toUnsignedInt(pick[0]) % ADJECTIVES.size()) + "_"
                + NOUNS.get(Byte.toUnsignedInt(pick[1]) % NOUNS.size());
    }

    /** Docker's rule for --name: letters, digits and _ . - , starting with a letter or digit. */
    public static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid container name '" + name
                    + "': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }
}
