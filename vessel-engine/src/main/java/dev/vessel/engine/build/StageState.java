package dev.vessel.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.image.Digest;
import dev.vessel.image.oci.Descriptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a stage stands after each step: its layers, its image configuration (kept as JSON so
 * that fields Vessel does not model, such as a base image's Healthcheck, carry over), its
 * history, the ARGs in scope, and the cache key that names all of that.
 */
final class StageState {
    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    final List<Descriptor> layers = new ArrayList<>();
    final List<Digest> diffIds = new ArrayList<>();
    final ArrayNode history = JsonNodeFactory.instance.arrayNode();
    final Map<String, String> args = new LinkedHashMap<>();
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    String architecture = "amd64";
    String os = "linux";
    String cacheKey;

    StageState copy() {
        StageState copy = new StageState();
        copy.layers.addAll(layers);
        copy.diffIds.addAll(diffIds);
        copy.history.addAll(history.deepCopy());
        copy.config = config.deepCopy();
        copy.architecture = architecture;
        copy.os = os;
        copy.cacheKey = cacheKey;
        return copy;
    }

    /** The key after a step: the previous key, the step as expanded, and a digest of its inputs. */
    void advance(String... parts) {
        MessageDigest sha = BuildContext.sha256();
        sha.update(cacheKey.getBytes(StandardCharsets.UTF_8));
        for (String part : parts) {
            sha.update((byte) 0);
            sha.update(part.getBytes(StandardCharsets.UTF_8));
        }
        cacheKey = HexFormat.of().formatHex(sha.digest());
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode list = config.get("Env");
        if (list != null) {
            for (JsonNode entry : list) {
                String[] pair = entry.asText().split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        return env;
    }

    void setEnv(String name, String value) {
        Map<String, String> env = env();
        env.put(name, value);
        ArrayNode list = config.putArray("Env");
        env.forEach((k, v) -> list.add(k + "=" + v));
    }

    /** A variable as instructions see it: ENV first, then an ARG in scope. */
    String variable(String name) {
        Map<String, String> env = env();
        return env.containsKey(name) ? env.get(name) : args.get(name);
    }

    String text(String field) {
        JsonNode node = config.get(field);
        return node == null || node.isNull() ? "" : node.asText();
    }

    List<String> list(String field) {
        JsonNode node = config.get(field);
        if (node == null || !node.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asText()));
        return values;
    }

    void setList(String field, List<String> values) {
        ArrayNode array = config.putArray(field);
        values.forEach(array::add);
    }

    List<String> shell() {
        List<String> shell = list("Shell");
        return shell == null || shell.isEmpty() ? DEFAULT_SHELL : shell;
    }

    String workingDir() {
        String dir = text("WorkingDir");
        return dir.isEmpty() ? "/" : dir;
    }
}
