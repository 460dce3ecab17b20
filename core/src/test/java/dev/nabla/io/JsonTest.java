package dev.nabla.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @Test
    void parsesEveryKindOfValueKeepingKeyOrder() {
        Object v = Json.parse(" {\"z\": [1, -2, 3.5, 1e3, -0.25E-1], \"a\": {\"t\": true, \"f\": false, \"n\": null},"
                + " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"} ");
        assertThat(v).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(List.copyOf(m.keySet())).isEqualTo(List.of("z", "a", "s"));
        assertThat(m.get("z")).isEqualTo(List.of(1L, -2L, 3.5, 1000.0, -0.025));
        Map<?, ?> a = (Map<?, ?>) m.get("a");
        assertThat(a.get("t")).isEqualTo(true);
        assertThat(a.get("f")).isEqualTo(false);
        assertThat(a.containsKey("n")).isTrue();
        assertThat(a.get("n")).isNull();
        assertThat(m.get("s")).isEqualTo("q\"\\/\b\f\n\r\t\u00e9\uD83D\uDE00");
    }

    @Test
    void integersBeyondLongBecomeDoubles() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\": 1,}|expected a string key",
            "[1, 2,]|expected a value",
            "{'a': 1}|expected a string key",
            "01|leading zeros",
            "NaN|unexpected character 'N'",
            "-Infinity|expected a digit",
            "{\"a\": 1} x|unexpected text after the JSON value",
            "{\"a\": 1, \"a\": 2}|duplicate key \"a\"",
            "\"abc|unterminated string",
            "\"\\x\"|unknown escape",
            "\"\\u12g4\"|bad hex digit",
            "[1 2]|expected ',' or ']'",
            "{\"a\" 1}|expected ':'",
            "1.|expected a digit after the decimal point",
            "1e|expected a digit in the exponent",
            "tru|expected a value",
            "@|unexpected character '@'",
            "1e999|out of range",
    })
    void rejectsWhatTheGrammarDoesNotAllow(String text, String problem) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem).hasMessageStartingWith("at offset ");
    }

    @Test
    void rejectsEmptyInputControlCharactersAndDeepNesting() {
        assertThatThrownBy(() -> Json.parse("")).hasMessageContaining("unexpected end of input");
        assertThatThrownBy(() -> Json.parse("\"a\nb\"")).hasMessageContaining("control character U+000A");
        assertThatThrownBy(() -> Json.parse("[".repeat(65) + "]".repeat(65))).hasMessageContaining("nesting deeper than 64");
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
    }

    @Test
    void writesCompactJsonThatParsesBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\\ line\nwith\ttab \u0001 é");
        m.put("n", 42L);
        m.put("x", 0.001);
        m.put("f", new float[] {1.5f, -0.1f});
        m.put("list", List.of(1, true, "s"));
        m.put("null", null);
        String text = Json.write(m);
        assertThat(text).isEqualTo("{\"name\":\"a \\\"quoted\\\"\\\\ line\\nwith\\ttab \\u0001 é\",\"n\":42,"
                + "\"x\":0.001,\"f\":[1.5,-0.10000000149011612],\"list\":[1,true,\"s\"],\"null\":null}");
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertThat(back.get("name")).isEqualTo(m.get("name"));
        assertThat(back.get("x")).isEqualTo(0.001);
        assertThat(back.get("f")).isEqualTo(List.of(1.5, -0.10000000149011612));
    }

    @Test
    void floatsRoundTripExactlyThroughDoubles() {
        java.util.Random r = new java.util.Random(1);
        float[] values = new float[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(r.nextInt());
            if (!Float.isFinite(values[i])) {
                values[i] = r.nextFloat();
            }
        }
        List<?> back = (List<?>) Json.parse(Json.write(values));
        for (int i = 0; i < values.length; i++) {
            assertThat(((Number) back.get(i)).floatValue()).isEqualTo(values[i]);
        }
    }

    @Test
    void refusesToWriteNonFiniteNumbersAndUnknownTypes() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).hasMessageContaining("no representation for NaN");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("cannot write Object");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("keys must be strings");
    }
}
