package org.rollupnode.gateway.rpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes response objects straight to bytes. Each answer is serialized as soon as its method
 * returns, so a result that cannot be serialized fails that call alone, not the whole batch.
 */
final class Responses {

    private final ObjectMapper mapper;

    Responses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] success(JsonNode id, Object result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", "2.0");
            g.writeFieldName("id");
            g.writeTree(id);
            g.writeFieldName("result");
            // "result": null is a valid answer (e.g. unknown block) and must be present
            mapper.writeValue(g, result);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Never fails: if {@code data} cannot be serialized it is dropped rather than losing the error. */
    byte[] error(JsonNode id, JsonRpcException error) {
        try {
            return writeError(id, error, true);
        } catch (IOException e) {
            try {
                return writeError(id, error, false);
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
        }
    }

    private byte[] writeError(JsonNode id, JsonRpcException error, boolean withData) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", "2.0");
            g.writeFieldName("id");
            g.writeTree(id == null ? NullNode.getInstance() : id);
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", error.code());
            g.writeStringField("message", error.getMessage() == null ? "" : error.getMessage());
            if (withData && error.data() != null) {
                g.writeFieldName("data");
                mapper.writeValue(g, error.data());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** A JSON array of already serialized answers, built without re-parsing them. */
    static byte[] array(List<byte[]> answers) {
        int size = 2 + Math.max(0, answers.size() - 1);
        for (byte[] answer : answers) {
            size += answer.length;
        }
        byte[] out = new byte[size];
        int pos = 0;
        out[pos++] = '[';
        for (int i = 0; i < answers.size(); i++) {
            if (i > 0) {
                out[pos++] = ',';
            }
            byte[] answer = answers.get(i);
            System.arraycopy(answer, 0, out, pos, answer.length);
            pos += answer.length;
        }
        out[pos] = ']';
        return out;
    }
}
