package dev.vessel.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.cli.VesselException;
import dev.vessel.image.oci.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Go templates people pass to {@code --format}: {@code {{.Field.Sub}}} and
 * {@code {{json .Field}}}, with values printed as Go prints them ({@code [a b]}, {@code map[k:v]}).
 */
public final class GoTemplate {
    private static final Pattern ACTION = Pattern.compile("\\{\\{\\s*(json\\s+)?(\\.[A-Za-z0-9_.]*)\\s*}}");

    private GoTemplate() {
    }

    public static String render(String template, Object value) {
        JsonNode root = Json.presentation().valueToTree(value);
        Matcher m = ACTION.matcher(template);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(template, last, m.start());
            JsonNode node = root;
            for (String field : m.group(2).substring(1).split("\\.")) {
                if (field.isEmpty()) {
                    continue;
                }
                node = node == null ? null : node.get(field);
                if (node == null) {
                    throw new VesselException("template: " + template + ": can't evaluate field " + field);
                }
            }
            out.append(m.group(1) != null ? node.toString() : goString(node));
            last = m.end();
        }
        if (template.substring(last).contains("{{")) {
            throw new VesselException("template: " + template + ": only {{.Field}} and {{json .Field}} are supported");
        }
        out.append(template.substring(last));
        return out.toString().replace("\\n", "\n").replace("\\t", "\t");
    }

    private static String goString(JsonNode node) {
        if (node == null || node.isNull()) {
            return "<nil>";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                b.append(i == 0 ? "" : " ").append(goString(node.get(i)));
            }
            return b.append(']').toString();
        }
        if (node.isObject()) {
            StringBuilder b = new StringBuilder("map[");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                b.append(first ? "" : " ").append(f.getKey()).append(':').append(goString(f.getValue()));
                first = false;
            }
            return b.append(']').toString();
        }
        return node.asText();
    }
}
