package dev.vessel.runtime.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads config.json strictly: wrong types are errors naming the field (runc is as strict). */
public final class SpecReader {
    private static ObjectMapper mapper;

    private SpecReader() {
    }

    public static synchronized ObjectMapper mapper() {
        if (mapper == null) {
            JsonMapper m = JsonMapper.builder()
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .build();
            m.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper = m;
        }
        return mapper;
    }

    public static Spec read(Path configJson) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(configJson);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no config.json in the bundle: " + configJson);
        }
        return parse(bytes, configJson.toString());
    }

    public static <T> T parse(byte[] bytes, String what, Class<T> type) {
        try {
            return mapper().readValue(bytes, type);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(what + ": " + field(e) + describe(e));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": invalid JSON: " + e.getOriginalMessage()
                    + location(e));
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
    }

    public static Spec parse(byte[] bytes, String what) {
        Spec spec = parse(bytes, what, Spec.class);
        if (spec == null) {
            throw new IllegalArgumentException(what + ": empty document");
        }
        return spec;
    }

    private static String field(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : "field " + path + ": ";
    }

    private static String describe(JsonMappingException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf('\n');
        if (cut > 0) {
            message = message.substring(0, cut);
        }
        // Jackson names Java types; say what the JSON should have held instead.
        message = message.replaceAll("`java\\.util\\.(List|ArrayList)<[^`]*>`", "an array")
                .replaceAll("`java\\.lang\\.String`", "a string")
                .replaceAll("`java\\.lang\\.(Long|Integer)`", "a number")
                .replaceAll("`java\\.lang\\.Boolean`", "a boolean")
                .replaceAll("`java\\.util\\.(Map|LinkedHashMap)<[^`]*>`", "an object")
                .replaceAll("`dev\\.vessel\\.runtime\\.spec\\.Spec(\\$\\w+)*`", "an object")
                .replaceAll("\\(although at least one Creator exists\\)", "");
        return message.strip() + location(e);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
