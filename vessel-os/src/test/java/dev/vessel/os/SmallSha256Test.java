package dev.vessel.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmallSha256Test {
    @Test
    void matchesTheStandardsTestVectors() {
        assertThat(hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    @Test
    void agreesWithTheJdkOnEveryLengthAroundTheBlockBoundaries() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        for (int length = 0; length < 300; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            assertThat(SmallSha256.digest(data)).as("length " + length).isEqualTo(jdk.digest(data));
        }
        byte[] large = new byte[70_000];
        random.nextBytes(large);
        assertThat(SmallSha256.digest(large)).isEqualTo(jdk.digest(large));
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(SmallSha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
