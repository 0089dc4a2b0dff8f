package dev.vessel.os.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainJsonTest {
    private static Object parse(String json) throws IOException {
        return PlainJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsEachKindOfValueAsThePlainJavaTypeTheBindersExpect() throws IOException {
        Object value = parse("{\"z\": 1, \"a\": [2147483648, 123456789012345678901234, 1.5e3, true, null, \"s\\u00e9\"],"
                + " \"m\": {\"n\": -7}}");
        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("z", "a", "m"); // the document's order
        assertThat(map.get("z")).isEqualTo(1L);
        assertThat((List<Object>) map.get("a")).containsExactly(2147483648L, new BigInteger("123456789012345678901234"),
                1500.0, true, null, "s\u00e9");
        assertThat(((Map<?, ?>) map.get("m")).get("n")).isEqualTo(-7L);
        assertThat(parse("[[1]]")).isEqualTo(List.of(List.of(1L)));
    }

    @Test
    void writesWhatItReadsBack() throws IOException {
        String json = "{\"id\":\"x\",\"pid\":42,\"list\":[1,\"two\",false],\"big\":123456789012345678901234}";
        assertThat(new String(PlainJson.write(parse(json), false), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void aDocumentThatIsNotJsonIsRefusedWithWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> parse("{\"a\": 1,\n  \"b\": tru}")).isInstanceOfSatisfying(InvalidJsonException.class,
                e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).doesNotContain("\n").endsWith("(line 2, column " + e.column() + ")");
                });
        assertThatThrownBy(() -> parse("{\"a\": 1} trailing")).isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> parse("[1, 2,]")).isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> parse("{\"a\": 01}")).isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> parse("{\"a\": NaN}")).isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> parse(" \n")).isInstanceOf(InvalidJsonException.class).hasMessageStartingWith("empty document");
        assertThatThrownBy(() -> parse("[".repeat(1_000_000) + "]".repeat(1_000_000)))
                .isInstanceOf(InvalidJsonException.class).hasMessageStartingWith("nested too deeply");
    }
}
