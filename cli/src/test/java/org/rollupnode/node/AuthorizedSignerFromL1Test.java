package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.audit.KafkaRecordSource;
import org.rollupnode.audit.Replay;
import org.rollupnode.audit.ReplayReport;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.AuthorizedSignerChange;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedBlocksEvent;
import org.rollupnode.schemas.Topics;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * The authorized block signer read from a real L1 (anvil) through the whole node: the SystemConfig
 * slot 0x67 (set with {@code anvil_setStorageAt} at the address {@code --l1.system-config-address}
 * names) authorizes the dev signer, so the node initialises consensus with it and signs; when L1
 * names another address the signer stops (blocks held, nothing written, a clear log) while the
 * gateway keeps every block it served; when L1 names the dev signer again the held blocks are signed.
 * Replay follows the change records and checks each against l1-events.
 */
class AuthorizedSignerFromL1Test {
    private static final String DEV_SIGNER = "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c";
    private static final String OTHER = "0x" + "0b".repeat(20);
    private static final String SYSTEM_CONFIG = "0x" + "5c".repeat(20);

    @TempDir
    Path tmp;

    private static String word(String address) {
        return "0x" + "0".repeat(24) + address.substring(2);
    }

    private static List<SignedBlocksEvent> signedBlocks(String bootstrap) {
        List<SignedBlocksEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : L1InclusionTest.readAll(KafkaSettings.of(bootstrap), Topics.SIGNED_BLOCKS.name())) {
            out.add(EventCodec.SIGNED_BLOCKS.decode(r.value(), r.topic(), r.partition(), r.offset()));
        }
        return out;
    }

    private static long builtHead(String bootstrap) {
        long max = 0;
        for (ConsumerRecord<String, byte[]> r : L1InclusionTest.readAll(KafkaSettings.of(bootstrap), Topics.SEQUENCER_STREAM.name())) {
            if (EventCodec.SEQUENCER_STREAM.decode(r.value(), r.topic(), r.partition(), r.offset()) instanceof BlockPayload p) {
                max = Math.max(max, p.number());
            }
        }
        return max;
    }

    private static JsonNode consensus(int port) throws Exception {
        return L1InclusionTest.rpc(port, "rollupNode_status").path("consensus");
    }

    private static String awaitLog(ByteArrayOutputStream logs, String line) throws Exception {
        return L1InclusionTest.await("the log line '" + line + "'", Duration.ofSeconds(40), logs::toString, s -> s.contains(line));
    }

    @Test
    void theSignerFromL1SlotIsFollowedSigningStopsWhileAnotherIsAuthorizedAndResumesWhenItIsBack() throws Exception {
        L1Anvil l1 = L1Anvil.start();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new DevSequencerEndToEndTest.Tee(originalErr, logs), true));
        try {
            l1.setStorageAndMine(SYSTEM_CONFIG, "0x67", word(DEV_SIGNER));
            List<String> args = new ArrayList<>(List.of(L1InclusionTest.args(tmp.resolve("n"), l1, "depth:1", null)));
            args.addAll(List.of("--l1.system-config-address", SYSTEM_CONFIG));
            try (RunningNode node = Main.startNode(args.toArray(String[]::new))) {
                int port = node.httpPort();
                String bootstrap = node.bootstrapServers();
                Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
                awaitLog(logs, "Initialized system contract consensus with authorized signer: " + DEV_SIGNER);

                // Signed by the dev key, which L1 authorizes.
                TransactionReceipt r0 = L1InclusionTest.l2Transfer(web3, 0);
                TransactionReceipt r1 = L1InclusionTest.l2Transfer(web3, 1);
                JsonNode c = consensus(port);
                assertEquals(DEV_SIGNER, c.path("authorizedSigner").asText(), c.toString());
                assertEquals("l1", c.path("source").asText(), c.toString());
                assertEquals(DEV_SIGNER, c.path("l1AuthorizedSigner").asText(), c.toString());
                assertEquals(SYSTEM_CONFIG, c.path("lastChange").path("systemConfig").asText(), c.toString());
                long served = web3.ethBlockNumber().send().getBlockNumber().longValueExact();
                assertTrue(served >= r1.getBlockNumber().longValueExact());
                Map<Long, String> servedHashes = new TreeMap<>();
                for (long n = 1; n <= served; n++) {
                    EthBlock.Block b = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false).send().getBlock();
                    servedHashes.put(n, b.getHash());
                }

                // L1 now authorizes another address: the change is recorded, the dev key signs nothing more.
                l1.setStorageAndMine(SYSTEM_CONFIG, "0x67", word(OTHER));
                awaitLog(logs, "Authorized signer updated to: " + OTHER);
                L1InclusionTest.await("the gateway to follow the change", Duration.ofSeconds(20), () -> consensus(port),
                        s -> OTHER.equals(s.path("authorizedSigner").asText()));
                String pending = web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV1, 2,
                        "0x" + "77".repeat(20), BigInteger.valueOf(7))).send().getTransactionHash();
                long held = L1InclusionTest.await("the sequencer to build a block above the signed head", Duration.ofSeconds(30),
                        () -> builtHead(bootstrap), n -> n > served);
                String holdLog = awaitLog(logs, "Not signing block " + (served + 1));
                assertTrue(holdLog.contains("this signer's address " + DEV_SIGNER + " is not the authorized signer " + OTHER), "clear log");
                assertTrue(held > served);
                assertEquals(served, signedBlocks(bootstrap).stream().filter(e -> e instanceof SignedBlock).mapToLong(
                        e -> ((SignedBlock) e).payload().number()).max().orElse(0), "nothing signed above the head while not authorized");
                assertEquals(served, web3.ethBlockNumber().send().getBlockNumber().longValueExact(), "blocks held");
                assertTrue(L1InclusionTest.receipt(web3, pending).isEmpty());
                for (Map.Entry<Long, String> e : servedHashes.entrySet()) {
                    EthBlock.Block b = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(e.getKey())), false).send()
                            .getBlock();
                    assertEquals(e.getValue(), b == null ? null : b.getHash(), "the gateway still serves block " + e.getKey());
                }

                // The dev signer is authorized again: the held blocks are signed and served.
                l1.setStorageAndMine(SYSTEM_CONFIG, "0x67", word(DEV_SIGNER));
                awaitLog(logs, "Authorized signer updated to: " + DEV_SIGNER);
                TransactionReceipt r2 = DevSequencerEndToEndTest.awaitReceipt(web3, pending, Duration.ofSeconds(30));
                assertTrue(r2.getBlockNumber().longValueExact() > served);
                assertEquals(DEV_SIGNER, consensus(port).path("authorizedSigner").asText());

                List<String> changes = signedBlocks(bootstrap).stream().filter(e -> e instanceof AuthorizedSignerChange)
                        .map(e -> ((AuthorizedSignerChange) e).signer()).toList();
                assertEquals(List.of(DEV_SIGNER, OTHER, DEV_SIGNER), changes);
                assertTrue(signedBlocks(bootstrap).get(0) instanceof AuthorizedSignerChange, "L1's signer is recorded before block 1");
                ReplayReport report = new Replay(ChainSpecs.byName("dev"), null).run(new KafkaRecordSource(KafkaSettings.of(bootstrap)), 1,
                        Long.MAX_VALUE, null);
                assertEquals("ok", report.result(), String.valueOf(report.divergence()));
                assertTrue(report.blocksChecked() >= r2.getBlockNumber().longValueExact());
                assertTrue(r0.getBlockNumber().longValueExact() >= 1);
                web3.shutdown();
            }
        } finally {
            System.setErr(originalErr);
            l1.close();
        }
    }
}
