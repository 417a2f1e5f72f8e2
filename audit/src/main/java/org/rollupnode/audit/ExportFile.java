package org.rollupnode.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
        ByteLines lines;
        try {
            lines = new ByteLines(Files.newInputStream(file));
            lines.next(); // the header, checked by open(Path)
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Pass(lines, topic);
    }

    /** Counts the topic's lines (one quick pass that parses only their topic field). */
    @Override
    public long count(String topic) {
        long n = 0;
        byte[] wanted = topic.getBytes(StandardCharsets.UTF_8);
        try (ByteLines lines = new ByteLines(Files.newInputStream(file))) {
            lines.next();
            while (lines.next()) {
                if (!lines.isBlank() && lines.hasTopic(wanted)) {
                    n++;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1; // only sizes progress; the pass itself reports what is wrong
        }
        return n;
    }

    /**
     * One record line. The value's JSON is taken from the line as written, not parsed into a tree
     * and written again: the replay's decoder parses it once, and payloads run to megabytes.
     */
    private static TopicRecord parseLine(byte[] line, int length) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(line, 0, length)) {
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
                            int start = Math.toIntExact(p.currentTokenLocation().getByteOffset());
                            p.skipChildren();
                            int end = Math.toIntExact(p.currentLocation().getByteOffset());
                            value = Arrays.copyOfRange(line, start, end);
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

    /**
     * The file's lines as bytes, one reused buffer. Passes skip the other topics' lines, and a
     * record's value is handed on as bytes: decoding each line of a file of hundreds of megabytes
     * into a String (and the value back into bytes) was 5 % of a replay's CPU (BENCHMARKS.md v10).
     */
    private static final class ByteLines implements java.io.Closeable {
        private static final byte[] TOPIC_PREFIX = "{\"topic\":\"".getBytes(StandardCharsets.US_ASCII);

        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private byte[] line = new byte[1 << 12];
        private int length;

        ByteLines(InputStream in) {
            this.in = in;
        }

        /** Reads the next line (without its line break) into {@link #line}; false at the end of the file. */
        boolean next() throws IOException {
            length = 0;
            boolean any = false;
            while (true) {
                if (pos == limit) {
                    int n = in.read(buf, 0, buf.length);
                    if (n <= 0) {
                        return any;
                    }
                    pos = 0;
                    limit = n;
                }
                any = true;
                int i = pos;
                while (i < limit && buf[i] != '\n') {
                    i++;
                }
                append(i - pos);
                if (i < limit) {
                    pos = i + 1;
                    if (length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    return true;
                }
                pos = limit;
            }
        }

        private void append(int n) {
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            System.arraycopy(buf, pos, line, length, n);
            length += n;
        }

        boolean isBlank() {
            for (int i = 0; i < length; i++) {
                byte b = line[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether the line is the topic's. Lines this class writes start with it, so most lines are
         * told apart without parsing a payload of megabytes; other layouts are parsed whole.
         */
        boolean hasTopic(byte[] topic) throws IOException {
            int p = TOPIC_PREFIX.length;
            if (length > p && Arrays.equals(line, 0, p, TOPIC_PREFIX, 0, p)) {
                int close = p;
                while (close < length && line[close] != '"' && line[close] != '\\') {
                    close++;
                }
                if (close < length && line[close] == '"') {
                    return Arrays.equals(line, p, close, topic, 0, topic.length);
                }
            }
            String found = JSON.readTree(new String(line, 0, length, StandardCharsets.UTF_8)).path("topic").asText();
            return found.equals(new String(topic, StandardCharsets.UTF_8));
        }

        TopicRecord record() throws IOException {
            return parseLine(line, length);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private final class Pass implements Records {
        private final ByteLines lines;
        private final byte[] topic;
        private TopicRecord next;
        private int lineNo = 1;
        private boolean closed;

        Pass(ByteLines lines, String topic) {
            this.lines = lines;
            this.topic = topic.getBytes(StandardCharsets.UTF_8);
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
                while (lines.next()) {
                    lineNo++;
                    if (lines.isBlank()) {
                        continue;
                    }
                    try {
                        if (!lines.hasTopic(topic)) {
                            continue;
                        }
                        next = lines.record();
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
                    lines.close();
                } catch (IOException ignored) {
                    // read-only file: nothing was left to flush
                }
            }
        }
    }
}
