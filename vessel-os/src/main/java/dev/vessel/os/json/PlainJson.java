package dev.vessel.os.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.grack.nanojson.JsonParser;
import com.grack.nanojson.JsonParserException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Plain JSON values (Map, List, String, Long or BigInteger, Double, Boolean, null), read with
 * nanojson and written with jackson-core's streaming API. An ObjectMapper costs far more to start
 * than a short-lived command can afford, and so do jackson-core's parsers: their first use
 * initialises java.math.BigDecimal, which in JDK 25 computes 5^65536 (15-20 ms of a fresh JVM).
 * Bind the values with {@link JsonObject}.
 */
public final class PlainJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PlainJson() {
    }

    /** The value of a JSON document; {@link InvalidJsonException} when it is not one. */
    public static Object parse(byte[] bytes) throws IOException {
        if (isBlank(bytes)) {
            throw new InvalidJsonException("empty document", 1, 1);
        }
        try {
            return plain(JsonParser.any().from(new ByteArrayInputStream(bytes)));
        } catch (JsonParserException e) {
            throw new InvalidJsonException(reason(e), e.getLinePosition(), e.getCharPosition());
        } catch (StackOverflowError e) {
            // nanojson descends recursively: a hostile document of deeply nested arrays ends here
            throw new InvalidJsonException("nested too deeply", 1, 1);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** nanojson's message ends with its own "on line L, char C": the location is said once, by the caller. */
    private static String reason(JsonParserException e) {
        String message = e.getMessage() == null ? "not JSON" : e.getMessage();
        int at = message.lastIndexOf(" on line ");
        return at > 0 ? message.substring(0, at) : message;
    }

    /** Integers as Long (BigInteger beyond it), as the binders expect; maps and lists stay as parsed. */
    @SuppressWarnings("unchecked")
    private static Object plain(Object value) {
        if (value instanceof Integer i) {
            return (long) i;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                Object v = e.getValue();
                if (v instanceof Integer || v instanceof Map || v instanceof List) {
                    e.setValue(plain(v));
                }
            }
        } else if (value instanceof List<?> list) {
            List<Object> items = (List<Object>) list;
            for (int i = 0; i < items.size(); i++) {
                Object v = items.get(i);
                if (v instanceof Integer || v instanceof Map || v instanceof List) {
                    items.set(i, plain(v));
                }
            }
        }
        return value;
    }

    /** Go's MarshalIndent layout when pretty (runc's output), else compact. */
    public static byte[] write(Object value, boolean pretty) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(new DefaultPrettyPrinter().withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
            }
            write(g, value);
        }
        return out.toByteArray();
    }

    // instanceof, not a switch on types: a type switch is linked through method handles on first
    // use, which a short-lived JVM pays for every time (~3 ms)
    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() != null) {
                    g.writeFieldName(e.getKey().toString());
                    write(g, e.getValue());
                }
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof java.math.BigInteger b) {
            g.writeNumber(b);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else {
            g.writeString(value.toString());
        }
    }
}
