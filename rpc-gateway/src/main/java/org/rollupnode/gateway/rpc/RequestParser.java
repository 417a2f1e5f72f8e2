package org.rollupnode.gateway.rpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request body into calls, following JSON-RPC 2.0 sections 4-6 to the letter.
 *
 * <p>Reads the envelope with the streaming parser rather than a tree: a numeric id keeps the exact
 * text the client sent (a tree would turn {@code 1e3} into {@code 1E+3} and {@code 0.0000001}
 * into {@code 1E-7}), and members other than {@code params} are never materialized.
 */
final class RequestParser {

    /** Either a body-level error (answered alone with id null) or the calls to run. */
    record Parsed(JsonRpcException bodyError, List<Call> calls, boolean batch) {
    }

    private static final JsonRpcException NOT_AN_OBJECT =
            JsonRpcException.invalidRequest("invalid request: expected a JSON object");
    private static final JsonRpcException BAD_ID =
            JsonRpcException.invalidRequest("invalid request: id must be a string, number or null");
    private static final JsonRpcException BAD_VERSION =
            JsonRpcException.invalidRequest("invalid request: jsonrpc must be \"2.0\"");
    private static final JsonRpcException BAD_METHOD =
            JsonRpcException.invalidRequest("invalid request: method must be a string");
    private static final JsonRpcException BAD_PARAMS =
            JsonRpcException.invalidRequest("invalid request: params must be an array or an object");

    private final ObjectMapper mapper;
    private final Limits limits;

    RequestParser(ObjectMapper mapper, Limits limits) {
        this.mapper = mapper;
        this.limits = limits;
    }

    Parsed parse(byte[] body) {
        if (body.length > limits.maxBodyBytes()) {
            return failure(JsonRpcException.invalidRequest(
                    "request body too large: limit " + limits.maxBodyBytes() + " bytes"));
        }
        if (!isUtf8(body)) {
            // Jackson checks UTF-8 in string values but not in member names (found by fuzzing)
            return failure(JsonRpcException.parseError("parse error: body is not valid UTF-8"));
        }
        try (JsonParser p = mapper.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return failure(JsonRpcException.parseError("parse error: empty body"));
            }
            Parsed parsed = first == JsonToken.START_ARRAY ? readBatch(p) : new Parsed(null, List.of(readCall(p)), false);
            if (p.nextToken() != null) {
                return failure(JsonRpcException.parseError("parse error: unexpected content after the JSON value"));
            }
            return parsed;
        } catch (IOException e) {
            return failure(readProblem(e));
        } catch (NumberFormatException e) {
            // Jackson reports a number it cannot hold as a BigDecimal (e.g. an exponent of 25
            // digits, found by fuzzing) with this unchecked exception, not a JsonProcessingException
            return failure(JsonRpcException.parseError("parse error: "
                    + (e.getMessage() == null ? "number out of range" : firstLine(e.getMessage()))));
        }
    }

    private Parsed readBatch(JsonParser p) throws IOException {
        List<Call> calls = new ArrayList<>();
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new JsonProcessingException("unexpected end of input in batch", p.currentLocation()) {
                };
            }
            count++;
            if (count <= limits.maxBatchSize()) {
                calls.add(readCall(p));
            } else {
                // still tokenized to the end, so malformed JSON is -32700 whatever its size
                p.skipChildren();
            }
        }
        if (count == 0) {
            return failure(JsonRpcException.invalidRequest("empty batch"));
        }
        if (count > limits.maxBatchSize()) {
            return failure(JsonRpcException.limitExceeded(
                    "batch of " + count + " requests exceeds the limit of " + limits.maxBatchSize()));
        }
        return new Parsed(null, calls, true);
    }

    /** Reads one request object; the parser is on its first token and is left on its last. */
    private Call readCall(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Call.invalid(null, NOT_AN_OBJECT);
        }
        JsonNode id = null;
        boolean idValid = true;
        String version = null;
        String method = null;
        boolean methodSeen = false;
        JsonNode params = null;
        boolean paramsValid = true;
        // duplicate members: the last one wins, as with Jackson trees and Go's encoding/json
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "id" -> {
                    id = readId(p, value);
                    idValid = id != null;
                    if (!idValid) {
                        id = NullNode.getInstance(); // present but unusable: answer with id null
                        p.skipChildren();
                    }
                }
                case "jsonrpc" -> {
                    version = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    p.skipChildren();
                }
                case "method" -> {
                    methodSeen = true;
                    method = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    p.skipChildren();
                }
                case "params" -> {
                    // null is read as "no params", like geth and reth; scalars are not params at all
                    paramsValid = value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT
                            || value == JsonToken.VALUE_NULL;
                    params = value == JsonToken.VALUE_NULL ? null : mapper.readTree(p);
                }
                default -> p.skipChildren();
            }
        }
        boolean notification = id == null;
        JsonNode answerId = notification ? NullNode.getInstance() : id;
        if (!idValid) {
            return Call.invalid(null, BAD_ID);
        }
        if (!"2.0".equals(version)) {
            return Call.invalid(answerId, BAD_VERSION);
        }
        if (!methodSeen || method == null) {
            return Call.invalid(answerId, BAD_METHOD);
        }
        if (!paramsValid) {
            return Call.invalid(answerId, BAD_PARAMS);
        }
        return new Call(answerId, notification, method, params, null);
    }

    /** The id as sent, or null when its type is not allowed. Numbers keep their exact text. */
    private static JsonNode readId(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new POJONode(new RawValue(p.getText()));
            case VALUE_NULL -> NullNode.getInstance();
            default -> null;
        };
    }

    private JsonRpcException readProblem(IOException e) {
        // Jackson may wrap the constraint violation, so look down the cause chain
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException && t.getMessage() != null
                    && t.getMessage().contains("nesting depth")) {
                return JsonRpcException.invalidRequest(
                        "invalid request: JSON nesting depth exceeds the limit of " + limits.maxJsonDepth());
            }
        }
        if (e instanceof JsonProcessingException jpe && jpe.getOriginalMessage() != null) {
            return JsonRpcException.parseError("parse error: " + firstLine(jpe.getOriginalMessage()));
        }
        return JsonRpcException.parseError("parse error");
    }

    private static boolean isUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return false;
            }
            if (r.isUnderflow()) {
                return !decoder.flush(out).isError();
            }
            out.clear();
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static Parsed failure(JsonRpcException error) {
        return new Parsed(error, List.of(), false);
    }
}
