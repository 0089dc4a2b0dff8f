package dev.vessel.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    private final ShellWords words = new ShellWords('\\', Map.of("NAME", "world", "EMPTY", "", "DIR", "/app")::get);

    @Test
    void expandsVariablesInAllForms() {
        assertThat(words.word("$NAME")).isEqualTo("world");
        assertThat(words.word("${NAME}s")).isEqualTo("worlds");
        assertThat(words.word("${UNSET:-fallback}")).isEqualTo("fallback");
        assertThat(words.word("${EMPTY:-fallback}")).isEqualTo("fallback");
        assertThat(words.word("${EMPTY-fallback}")).isEmpty();
        assertThat(words.word("${NAME:+set}")).isEqualTo("set");
        assertThat(words.word("${UNSET:+set}")).isEmpty();
        assertThat(words.word("$UNSET/x")).isEqualTo("/x");
        assertThat(words.word("${DIR}/bin")).isEqualTo("/app/bin");
    }

    @Test
    void quotesAndEscapes() {
        assertThat(words.word("'$NAME'")).isEqualTo("$NAME");
        assertThat(words.word("\"hello $NAME\"")).isEqualTo("hello world");
        assertThat(words.word("\\$NAME")).isEqualTo("$NAME");
        assertThat(words.word("\"a \\\"b\\\"\"")).isEqualTo("a \"b\"");
        assertThat(words.words("a \"b c\" 'd e' f\\ g")).containsExactly("a", "b c", "d e", "f g");
    }

    @Test
    void nameValuePairsKeepQuotesUntilExpanded() {
        var pairs = words.nameValuePairs("A=1 B=\"two words\" C=$NAME", "ENV", 3);
        assertThat(pairs).hasSize(3);
        assertThat(pairs.get(1)).containsExactly("B", "\"two words\"");
        assertThat(words.word(pairs.get(1)[1])).isEqualTo("two words");
        var legacy = words.nameValuePairs("GREETING hello big world", "ENV", 3);
        assertThat(legacy.get(0)).containsExactly("GREETING", "hello big world");
        assertThatThrownBy(() -> words.nameValuePairs("justakey", "LABEL", 4))
                .hasMessageContaining("line 4: LABEL needs NAME=VALUE");
    }

    @Test
    void requiredVariableFailsClearly() {
        assertThatThrownBy(() -> words.word("${UNSET:?must be set}")).hasMessage("UNSET: must be set");
    }
}
