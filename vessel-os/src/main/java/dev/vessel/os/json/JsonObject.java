package dev.vessel.os.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A JSON object parsed by {@link PlainJson} and where it is in the document, for binding records
 * by hand without reflection: strict types, null for an absent or null field, and errors that
 * name the field's path (process.args[0] ...) as {@link IllegalArgumentException}s.
 */
public record JsonObject(Map<String, Object> map, String path) {
    /** A parsed document's top-level value, which must be an object. */
    public static JsonObject root(Object document) {
        return of(document, "");
    }

    /** A value that must be an object, found at path. */
    public static JsonObject of(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return new JsonObject(map, path);
        }
        throw wrong(path.isEmpty() ? "(document)" : path, "an object", value);
    }

    public String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public String str(String field) {
        Object v = map.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw wrong(at(field), "a string", v);
    }

    public Boolean bool(String field) {
        Object v = map.get(field);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw wrong(at(field), "true or false", v);
    }

    public Long lng(String field) {
        Object v = map.get(field);
        if (v == null || v instanceof Long) {
            return (Long) v;
        }
        throw wrong(at(field), "an integer", v);
    }

    public Integer integer(String field) {
        Long v = lng(field);
        if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
            throw new IllegalArgumentException(at(field) + ": " + v + " is out of range");
        }
        return v == null ? null : v.intValue();
    }

    public BigInteger big(String field) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l) {
            return BigInteger.valueOf(l);
        }
        if (v instanceof BigInteger b) {
            return b;
        }
        throw wrong(at(field), "an integer", v);
    }

    public JsonObject obj(String field) {
        Object v = map.get(field);
        return v == null ? null : of(v, at(field));
    }

    public List<Object> list(String field) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) l;
            return list;
        }
        throw wrong(at(field), "an array", v);
    }

    public List<String> strings(String field) {
        List<Object> l = list(field);
        if (l == null) {
            return null;
        }
        List<String> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) {
                throw wrong(at(field) + "[" + i + "]", "a string", l.get(i));
            }
            out.add(s);
        }
        return out;
    }

    public List<Long> longs(String field) {
        List<Object> l = list(field);
        if (l == null) {
            return null;
        }
        List<Long> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Long n)) {
                throw wrong(at(field) + "[" + i + "]", "an integer", l.get(i));
            }
            out.add(n);
        }
        return out;
    }

    public Map<String, String> stringMap(String field) {
        JsonObject o = obj(field);
        if (o == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : o.map.keySet()) {
            out.put(key, o.str(key));
        }
        return out;
    }

    /** Each member of an object field, bound by bind(member, name); null when absent. */
    public <T> Map<String, T> objectMap(String field, BiFunction<JsonObject, String, T> bind) {
        JsonObject o = obj(field);
        if (o == null) {
            return null;
        }
        Map<String, T> out = new LinkedHashMap<>();
        for (String key : o.map.keySet()) {
            out.put(key, bind.apply(of(o.map.get(key), o.at(key)), key));
        }
        return out;
    }

    public <T> List<T> objects(String field, BiFunction<JsonObject, String, T> bind) {
        List<Object> l = list(field);
        if (l == null) {
            return null;
        }
        List<T> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            String where = at(field) + "[" + i + "]";
            out.add(bind.apply(of(l.get(i), where), where));
        }
        return out;
    }

    static IllegalArgumentException wrong(String path, String expected, Object got) {
        String kind = switch (got) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> "a number";
        };
        return new IllegalArgumentException("field " + path + ": expected " + expected + ", got " + kind);
    }
}
