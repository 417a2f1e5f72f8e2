package org.rollupnode.gateway.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The {@code params} member of one call. Every accessor takes both a position and a name, so a
 * method reads positional ({@code [a, b]}) and named ({@code {"a":..,"b":..}}) params alike, and
 * every failure is a -32602 that names the parameter. JSON {@code null} counts as absent, as in geth.
 */
public final class JsonRpcParams {

    private final JsonNode params;
    private final ObjectMapper mapper;

    /**
     * @param params an array, an object, or null / {@link MissingNode} for no params
     */
    public JsonRpcParams(JsonNode params, ObjectMapper mapper) {
        JsonNode p = params == null ? MissingNode.getInstance() : params;
        if (!(p.isMissingNode() || p.isNull() || p.isArray() || p.isObject())) {
            throw new IllegalArgumentException("params must be an array or an object, got " + p.getNodeType());
        }
        this.params = p.isNull() ? MissingNode.getInstance() : p;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Positional params built from Java values; convenient in method unit tests. */
    public static JsonRpcParams of(Object... values) {
        ObjectMapper mapper = JsonRpcMapper.shared();
        ArrayNode array = mapper.createArrayNode();
        for (Object value : values) {
            array.add(mapper.<JsonNode>valueToTree(value));
        }
        return new JsonRpcParams(array, mapper);
    }

    /** Number of params given (positions or names); 0 when absent. */
    public int size() {
        return params.size();
    }

    public boolean isNamed() {
        return params.isObject();
    }

    /** The raw {@code params} member, {@link MissingNode} when absent. */
    public JsonNode raw() {
        return params;
    }

    /** Rejects surplus positional params, as geth does ("too many arguments, want at most N"). */
    public JsonRpcParams requireAtMost(int max) throws JsonRpcException {
        if (params.isArray() && params.size() > max) {
            throw JsonRpcException.invalidParams("too many arguments, want at most " + max);
        }
        return this;
    }

    /** The positional param, or null when absent or JSON null. */
    public JsonNode optional(int index) {
        return present(params.isArray() ? params.get(index) : null);
    }

    /** The param at {@code index} (positional) or {@code name} (named), or null when absent or JSON null. */
    public JsonNode optional(int index, String name) {
        return present(params.isArray() ? params.get(index) : params.get(name));
    }

    public JsonNode required(int index, String name) throws JsonRpcException {
        JsonNode value = optional(index, name);
        if (value == null) {
            throw JsonRpcException.invalidParams("missing value for required " + label(index, name));
        }
        return value;
    }

    public String requiredString(int index, String name) throws JsonRpcException {
        return string(required(index, name), index, name);
    }

    public String optionalString(int index, String name, String defaultValue) throws JsonRpcException {
        JsonNode value = optional(index, name);
        return value == null ? defaultValue : string(value, index, name);
    }

    /** A QUANTITY ("0x1a") that fits in a signed long. */
    public long requiredQuantity(int index, String name) throws JsonRpcException {
        String text = quantityText(required(index, name), index, name);
        try {
            return HexQuantity.parseLong(text);
        } catch (IllegalArgumentException e) {
            throw invalid(index, name, e.getMessage());
        }
    }

    public long optionalQuantity(int index, String name, long defaultValue) throws JsonRpcException {
        return optional(index, name) == null ? defaultValue : requiredQuantity(index, name);
    }

    /** A QUANTITY of up to 256 bits (values, balances, gas prices). */
    public BigInteger requiredBigQuantity(int index, String name) throws JsonRpcException {
        String text = quantityText(required(index, name), index, name);
        try {
            return HexQuantity.parseBig(text);
        } catch (IllegalArgumentException e) {
            throw invalid(index, name, e.getMessage());
        }
    }

    public boolean optionalBoolean(int index, String name, boolean defaultValue) throws JsonRpcException {
        JsonNode value = optional(index, name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw invalid(index, name, "expected a boolean");
        }
        return value.booleanValue();
    }

    /** Binds the param to a record or POJO with the dispatcher's mapper; unknown fields are ignored. */
    public <T> T requiredObject(int index, String name, Class<T> type) throws JsonRpcException {
        JsonNode value = required(index, name);
        try {
            return mapper.treeToValue(value, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw invalid(index, name, bindingProblem(e));
        }
    }

    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    private String string(JsonNode value, int index, String name) throws JsonRpcException {
        if (!value.isTextual()) {
            throw invalid(index, name, "expected a string");
        }
        return value.textValue();
    }

    private String quantityText(JsonNode value, int index, String name) throws JsonRpcException {
        if (!value.isTextual()) {
            throw invalid(index, name, "expected a hex-encoded quantity string such as \"0x1a\"");
        }
        return value.textValue();
    }

    private JsonRpcException invalid(int index, String name, String problem) {
        return JsonRpcException.invalidParams("invalid " + label(index, name) + ": " + problem);
    }

    private String label(int index, String name) {
        return params.isObject() ? "argument \"" + name + "\"" : "argument " + index + " (" + name + ")";
    }

    // Jackson's original message is about the input ("Cannot deserialize value of type ... from
    // String"), without the location suffix that would point into our tree, not the client's text.
    private static String bindingProblem(Exception e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "cannot be decoded";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
