package dev.vessel.image.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vessel.image.store.StoreState;
import dev.vessel.os.json.JsonObject;
import dev.vessel.os.json.PlainJson;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON of the image formats. The formats every command reads (the store's metadata, manifests,
 * indexes, configs) are bound by hand from jackson-core's streaming parser ({@link PlainJson}):
 * an ObjectMapper takes longer to start than a whole {@code vessel run} should. Everything else,
 * and all writing, goes through one Jackson mapper: compact, deterministic, tolerant of unknown
 * fields.
 */
public final class Json {
    private static final Map<Class<?>, Function<JsonObject, ?>> BINDERS = Map.of(
            StoreState.class, StoreState::from,
            Manifest.class, Manifest::from,
            Index.class, Index::from,
            ImageConfig.class, ImageConfig::from);

    private Json() {
    }

    /** The mapper, made on first use. */
    public static ObjectMapper mapper() {
        return Mappers.MAPPER;
    }

    /** For output people read (inspect, --format json): keeps the order fields were put in. */
    public static ObjectMapper presentation() {
        return Mappers.PRESENTATION;
    }

    private static final class Mappers {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
        static final ObjectMapper PRESENTATION = JsonMapper.builder()
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    public static byte[] bytes(Object value) {
        try {
            return mapper().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses JSON; the exception message names what was being read. */
    public static <T> T read(byte[] json, Class<T> type, String what) throws dev.vessel.image.ImageException {
        Function<JsonObject, ?> binder = BINDERS.get(type);
        if (binder != null) {
            try {
                return type.cast(binder.apply(JsonObject.root(PlainJson.parse(json))));
            } catch (IOException | RuntimeException e) {
                throw new dev.vessel.image.ImageException("invalid " + what + ": " + firstLine(e.getMessage()));
            }
        }
        try {
            return mapper().readValue(json, type);
        } catch (IOException e) {
            throw new dev.vessel.image.ImageException("invalid " + what + ": " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
