package org.rollupnode.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.Topics;
import org.rollupnode.schemas.TransactionOutcome;

/**
 * The reliability invariants over a whole cluster (issue #10): everything {@link Replay} checks
 * (contiguous heights, one committed payload each, parent links, re-execution, signatures), plus:
 * every transaction a client got a hash for is included exactly once or has a recorded outcome, and
 * what gateways answer equals the topics.
 */
public final class InvariantChecker {
    public record Violation(String invariant, String detail) {}

    public record Report(ReplayReport replay, long acknowledged, long included, long withOutcome, List<Violation> violations) {
        public boolean ok() {
            return violations.isEmpty();
        }
    }

    private final ChainSpec spec;
    private final Address authorizedSigner;

    public InvariantChecker(ChainSpec spec, Address authorizedSigner) {
        this.spec = spec;
        this.authorizedSigner = authorizedSigner;
    }

    public Report check(RecordSource source, Collection<String> acknowledgedHashes, List<URI> gateways) {
        List<Violation> violations = new ArrayList<>();
        ReplayReport replay = new Replay(spec, authorizedSigner).run(source, 1, Long.MAX_VALUE, null);
        if (!replay.ok()) {
            violations.add(new Violation("replay", replay.divergence().message()));
        }
        // Committed payloads in order, first per height, with revert records applied (what every reader serves).
        TreeMap<Long, BlockPayload> chain = new TreeMap<>();
        for (TopicRecord r : source.read(Topics.SEQUENCER_STREAM.name())) {
            SequencerStreamEvent ev = EventCodec.SEQUENCER_STREAM.decode(r.value(), r.topic(), r.partition(), r.offset());
            if (ev instanceof BlockPayload p) {
                chain.putIfAbsent(p.number(), p);
            } else if (ev instanceof org.rollupnode.schemas.SequencerRevert rv) {
                chain.tailMap(rv.revertToNumber(), false).clear();
            }
        }
        Map<String, Integer> inclusions = new HashMap<>();
        for (BlockPayload p : chain.values()) {
            for (String raw : p.transactions()) {
                inclusions.merge(Hex.encode(Keccak.hash256(Hex.decode(raw))), 1, Integer::sum);
            }
        }
        Map<String, TransactionOutcome> outcomes = new HashMap<>();
        for (TopicRecord r : source.read(Topics.TRANSACTION_OUTCOMES.name())) {
            TransactionOutcome o = EventCodec.TRANSACTION_OUTCOME.decode(r.value(), r.topic(), r.partition(), r.offset());
            outcomes.put(o.hash(), o);
        }
        long included = 0;
        long withOutcome = 0;
        for (String h : acknowledgedHashes) {
            String hash = h.toLowerCase();
            int n = inclusions.getOrDefault(hash, 0);
            if (n == 1) {
                included++;
            } else if (n > 1) {
                violations.add(new Violation("included-once", hash + " is included " + n + " times"));
            } else if (outcomes.containsKey(hash)) {
                withOutcome++;
            } else {
                violations.add(new Violation("nothing-lost", hash + " was acknowledged but is neither included nor has an outcome"));
            }
        }
        for (URI gw : gateways) {
            compareGateway(gw, chain, violations);
        }
        return new Report(replay, acknowledgedHashes.size(), included, withOutcome, violations);
    }

    private static void compareGateway(URI gw, Map<Long, BlockPayload> chain, List<Violation> violations) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        try {
            for (BlockPayload p : chain.values()) {
                String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x"
                        + Long.toHexString(p.number()) + "\",false]}";
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(gw).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode block = json.readTree(r.body()).path("result");
                if (block.isMissingNode() || block.isNull()) {
                    violations.add(new Violation("gateway-matches-topics", gw + " does not serve block " + p.number() + " (yet)"));
                    return;
                }
                if (!p.hash().equals(block.path("hash").asText())) {
                    violations.add(new Violation("gateway-matches-topics", gw + " serves " + block.path("hash").asText()
                            + " at height " + p.number() + ", the stream holds " + p.hash()));
                    return;
                }
            }
        } catch (IOException e) {
            violations.add(new Violation("gateway-reachable", gw + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
