package org.rollupnode.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The export format: JSON Lines. A header line {@code {"format":"rollup-node-export","version":1}}
 * then one line per record {@code {"topic","partition","offset","key","value"}} where {@code value}
 * is the record's own JSON (or {@code valueBase64} when it is not JSON, so even a corrupt record
 * survives export for the auditor to see). Reading keeps one record in memory at a time per pass.
 */
public final class ExportFile implements RecordSource {
    public static final String FORMAT = "rollup-node-export";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private ExportFile(Path file) {
        this.file = file;
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
                try (RecordSource.Records records = source.open(topic)) {
                    while (records.hasNext()) {
                        writeLine(w, records.next());
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static void writeLine(BufferedWriter w, TopicRecord r) throws IOException {
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
    }

    /**
     * Opens an export for reading: checks the header now; each {@link #open(String)} then reads the
     * file from the top, keeping only its topic's lines, one at a time.
     */
    public static ExportFile open(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            JsonNode header;
            try {
                header = first == null ? null : JSON.readTree(first);
            } catch (IOException e) {
                header = null;
            }
            if (header == null || !FORMAT.equals(header.path("format").asText())) {
                throw new IOException(file + " is not a rollup-node export (missing header line with format " + FORMAT + ")");
            }
        }
        return new ExportFile(file);
    }

    @Override
    public Records open(String topic) {
        BufferedReader r;
        try {
            r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            r.readLine(); // the header, checked by open(Path)
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Pass(r, topic);
    }

    /** Counts the topic's lines (one quick pass that parses only their topic field). */
    @Override
    public long count(String topic) {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && topic.equals(topicOf(line))) {
                    n++;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1; // only sizes progress; the pass itself reports what is wrong
        }
        return n;
    }

    /**
     * The line's topic. Lines this class writes start with it, so most lines are told apart
     * without parsing a payload of megabytes; other layouts are parsed whole.
     */
    private static String topicOf(String line) throws IOException {
        String prefix = "{\"topic\":\"";
        if (line.startsWith(prefix)) {
            int close = line.indexOf('"', prefix.length());
            if (close > 0 && line.lastIndexOf('\\', close) < prefix.length()) {
                return line.substring(prefix.length(), close);
            }
        }
        return JSON.readTree(line).path("topic").asText();
    }

    /**
     * One record line. The value's JSON is taken from the line as written, not parsed into a tree
     * and written again: the replay's decoder parses it once, and payloads run to megabytes.
     */
    private static TopicRecord parseLine(String line) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a record line must be a JSON object");
            }
            String topic = null;
            int partition = 0;
            long offset = 0;
            String key = null;
            byte[] value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "topic" -> topic = p.getText();
                    case "partition" -> partition = p.getIntValue();
                    case "offset" -> offset = p.getLongValue();
                    case "key" -> key = t == JsonToken.VALUE_NULL ? null : p.getText();
                    case "valueBase64" -> value = Base64.getDecoder().decode(p.getText());
                    case "value" -> {
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                            int start = Math.toIntExact(p.currentTokenLocation().getCharOffset());
                            p.skipChildren();
                            int end = Math.toIntExact(p.currentLocation().getCharOffset());
                            value = line.substring(start, end).getBytes(StandardCharsets.UTF_8);
                        } else {
                            value = JSON.writeValueAsBytes(JSON.readTree(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("unexpected content after the record");
            }
            return new TopicRecord(topic, partition, offset, key, value);
        }
    }

    private final class Pass implements Records {
        private final BufferedReader reader;
        private final String topic;
        private TopicRecord next;
        private int lineNo = 1;
        private boolean closed;

        Pass(BufferedReader reader, String topic) {
            this.reader = reader;
            this.topic = topic;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (closed) {
                return false;
            }
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        if (!topic.equals(topicOf(line))) {
                            continue;
                        }
                        next = parseLine(line);
                    } catch (IOException | RuntimeException e) {
                        throw new UncheckedIOException(new IOException(file + " line " + lineNo + " is not JSON: " + e.getMessage(), e));
                    }
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " at line " + lineNo + ": " + e.getMessage(), e);
            }
            close();
            return false;
        }

        @Override
        public TopicRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            TopicRecord r = next;
            next = null;
            return r;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // read-only file: nothing was left to flush
                }
            }
        }
    }
}
