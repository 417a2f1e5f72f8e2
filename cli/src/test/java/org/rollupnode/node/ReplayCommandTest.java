package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.Topics;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** `rollup-node replay` and `export` against a chain the dev node produced. */
class ReplayCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args);
        return new Run(code, out.toString());
    }

    @Test
    void replayPassesOnTheNodesChainAndFailsAfterARogueWrite() throws Exception {
        try (RunningNode node = Main.startNode(DevSequencerEndToEndTest.devArgs(tmp.resolve("n")))) {
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            String last = null;
            for (int n = 0; n < 3; n++) {
                last = web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, n,
                        "0x" + "aa".repeat(20), BigInteger.TEN)).send().getTransactionHash();
                DevSequencerEndToEndTest.awaitReceipt(web3, last, Duration.ofSeconds(10));
            }
            long head = web3.ethBlockNumber().send().getBlockNumber().longValue();
            Thread.sleep(300);
            Path report = tmp.resolve("report.json");
            Run ok = run("replay", "--kafka.bootstrap-servers", node.bootstrapServers(), "--chain", "dev", "--report", report.toString(),
                    "--consensus.authorized-signer", "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c");
            assertEquals(0, ok.code(), ok.out());
            JsonNode json = new ObjectMapper().readTree(report.toFile());
            assertEquals("ok", json.get("result").asText());
            assertEquals(head, json.get("blocksChecked").asLong());
            assertEquals(3, json.get("transactions").asLong());

            Path export = tmp.resolve("export.jsonl");
            assertEquals(0, run("export", "--kafka.bootstrap-servers", node.bootstrapServers(), "--out", export.toString()).code());
            Run fromFile = run("replay", "--input", export.toString(), "--chain", "dev", "--report", tmp.resolve("r2.json").toString());
            assertEquals(0, fromFile.code(), fromFile.out());

            // A rogue producer (no transactional id) appends a second payload for height 1.
            KafkaSettings s = KafkaSettings.of(node.bootstrapServers());
            BlockPayload first = org.rollupnode.audit.ExportFile.open(export).read(Topics.SEQUENCER_STREAM.name()).stream()
                    .map(r -> (BlockPayload) EventCodec.SEQUENCER_STREAM.decode(r.value())).findFirst().orElseThrow();
            BlockPayload forged = new BlockPayload(1, "0x" + "66".repeat(32), first.parentHash(), first.timestamp(), first.feeRecipient(),
                    first.baseFeePerGas(), first.gasLimit(), first.gasUsed(), first.stateRoot(), first.transactionsRoot(), first.receiptsRoot(),
                    first.logsBloom(), first.extraData(), first.difficulty(), first.mixHash(), first.transactions(), 0, 0, "rogue", 0, 0);
            try (KafkaProducer<String, byte[]> rogue = new KafkaProducer<>(s.producerConfig("rogue"))) {
                rogue.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, "1", EventCodec.SEQUENCER_STREAM.encode(forged))).get();
            }
            Run bad = run("replay", "--kafka.bootstrap-servers", node.bootstrapServers(), "--chain", "dev", "--report", report.toString());
            assertEquals(1, bad.code(), bad.out());
            assertTrue(bad.out().contains("replay FAILED at block 1 (single-payload-per-height)"), bad.out());
            assertEquals("divergence", new ObjectMapper().readTree(report.toFile()).get("result").asText());
            // The live node ignores the rogue record (first committed one wins) and keeps serving.
            assertEquals(head, web3.ethBlockNumber().send().getBlockNumber().longValue());
            web3.shutdown();
        }
    }
}
