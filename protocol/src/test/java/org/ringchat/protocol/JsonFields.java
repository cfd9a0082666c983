package org.ringchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The numeric fields of a frame's JSON, by dotted path ({@code msg.view.members.0.rank}), and a
 * way to set one: for tests that try every number a frame carries at its extremes.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** Dotted paths of every numeric leaf under {@code node}. */
    public static List<String> numericPaths(JsonNode node) {
        return numericPaths(node, "");
    }

    /** The last part of a dotted path: the field's own name. */
    public static String field(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** Sets the numeric leaf at {@code path} (one {@link #numericPaths} gave) to {@code value}. */
    public static void set(JsonNode root, String path, long value) {
        String[] parts = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (parent.isArray()) {
            ((ArrayNode) parent).set(Integer.parseInt(last), JsonNodeFactory.instance.numberNode(value));
        } else {
            ((ObjectNode) parent).put(last, value);
        }
    }

    private static List<String> numericPaths(JsonNode node, String prefix) {
        List<String> out = new ArrayList<>();
        if (node.isNumber()) {
            out.add(prefix);
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> out.addAll(numericPaths(e.getValue(), join(prefix, e.getKey()))));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.addAll(numericPaths(node.get(i), join(prefix, String.valueOf(i))));
            }
        }
        return out;
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
