package dev.vessel.runtime.spec;

import dev.vessel.os.json.PlainJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads config.json (and process.json, resources JSON) strictly: wrong types are errors naming the field. */
public final class SpecReader {
    private SpecReader() {
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

    public static Spec parse(byte[] bytes, String what) {
        return SpecBinder.spec(json(bytes, what), what);
    }

    /** The JSON value of a document, or an IllegalArgumentException saying what is wrong and where. */
    public static Object json(byte[] bytes, String what) {
        try {
            return PlainJson.parse(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": invalid JSON: " + e.getMessage());
        }
    }
}
