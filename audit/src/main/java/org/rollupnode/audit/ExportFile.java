package org.rollupnode.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The export format: JSON Lines. A header line {@code {"format":"rollup-node-export","version":1}}
 * then one line per record {@code {"topic","partition","offset","key","value"}} where {@code value}
 * is the record's own JSON (or {@code valueBase64} when it is not JSON, so even a corrupt record
 * survives export for the auditor to see).
 */
public final class ExportFile implements RecordSource {
    public static final String FORMAT = "rollup-node-export";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<TopicRecord>> byTopic;

    private ExportFile(Map<String, List<TopicRecord>> byTopic) {
        this.byTopic = byTopic;
    }

    public static int write(Path file, RecordSource source, List<String> topics) throws IOException {
        int n = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ObjectNode header = JSON.createObjectNode().put("format", FORMAT).put("version", 1)
                    .put("exportedAtMillis", System.currentTimeMillis());
            header.putPOJO("topics", topics);
            w.write(JSON.writeValueAsString(header));
            w.newLine();
            for (String topic : topics) {
                for (TopicRecord r : source.read(topic)) {
                    ObjectNode line = JSON.createObjectNode().put("topic", r.topic()).put("partition", r.partition())
                            .put("offset", r.offset()).put("key", r.key());
                    JsonNode value = null;
                    try {
                        value = r.value() == null ? null : JSON.readTree(r.value());
                    } catch (IOException notJson) {
                        // kept as base64 below
                    }
                    if (value != null) {
                        line.set("value", value);
                    } else if (r.value() != null) {
                        line.put("valueBase64", Base64.getEncoder().encodeToString(r.value()));
                    }
                    w.write(JSON.writeValueAsString(line));
                    w.newLine();
                    n++;
                }
            }
        }
        return n;
    }

    public static ExportFile read(Path file) throws IOException {
        Map<String, List<TopicRecord>> byTopic = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            JsonNode header = first == null ? null : JSON.readTree(first);
            if (header == null || !FORMAT.equals(header.path("format").asText())) {
                throw new IOException(file + " is not a rollup-node export (missing header line with format " + FORMAT + ")");
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IOException(file + " line " + lineNo + " is not JSON: " + e.getMessage());
                }
                byte[] value = n.has("value") ? JSON.writeValueAsBytes(n.get("value"))
                        : n.has("valueBase64") ? Base64.getDecoder().decode(n.get("valueBase64").asText()) : null;
                String topic = n.path("topic").asText();
                byTopic.computeIfAbsent(topic, k -> new ArrayList<>()).add(new TopicRecord(topic, n.path("partition").asInt(),
                        n.path("offset").asLong(), n.path("key").isNull() ? null : n.path("key").asText(), value));
            }
        }
        return new ExportFile(byTopic);
    }

    @Override
    public List<TopicRecord> read(String topic) {
        return byTopic.getOrDefault(topic, List.of());
    }
}
