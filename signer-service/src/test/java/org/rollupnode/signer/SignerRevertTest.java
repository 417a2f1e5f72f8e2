package org.rollupnode.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedBlocksEvent;
import org.rollupnode.schemas.SignedRevert;
import org.rollupnode.schemas.Topics;

/** A second block at a height is signed only after a committed revert record names a height below it. */
class SignerRevertTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final BigInteger KEY = new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 16);

    /** Blocks on top of {@code prefix} (applied first), each one transfer of {@code value} wei. */
    static List<BlockPayload> extend(List<BlockPayload> prefix, int n, long value) throws Exception {
        ChainFolder f = new ChainFolder(DEV);
        for (BlockPayload p : prefix) {
            f.apply(p);
        }
        List<BlockPayload> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var parent = f.head();
            BlockBuilder b = new BlockBuilder(DEV, parent, f.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                    ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, DEV.baseFeeOverhead())));
            b.add(Transaction.eip1559(1337).nonce(parent.number()).maxPriorityFeePerGas(BigInteger.ONE)
                    .maxFeePerGas(BigInteger.valueOf(1_000_000_000)).gasLimit(21_000).to(Address.fromHex("0x" + "42".repeat(20)))
                    .value(BigInteger.valueOf(value)).data(new byte[0]).sign(ChainSpecs.devPrivateKeys().get(0)));
            var built = b.seal(new byte[0]);
            f.advance(built);
            out.add(Payloads.toPayload(built, 0, 0, "test", 0, 0));
        }
        return out;
    }

    static void append(KafkaSettings s, List<? extends SequencerStreamEvent> events) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(s.producerConfig("test-writer"))) {
            for (SequencerStreamEvent e : events) {
                p.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(e.number()), EventCodec.SEQUENCER_STREAM.encode(e))).get();
            }
        }
    }

    /** Every signed-blocks record as "block N hash" or "revert N". */
    static List<String> signedBlocks(KafkaSettings s, int atLeast) {
        TopicPartition tp = new TopicPartition(Topics.SIGNED_BLOCKS.name(), 0);
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(s.readerConfig("check"))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            while (System.nanoTime() < deadline && out.size() < atLeast) {
                c.poll(Duration.ofMillis(100)).forEach(r -> out.add(describe(r)));
            }
            c.poll(Duration.ofMillis(1500)).forEach(r -> out.add(describe(r)));
        }
        return out;
    }

    static String describe(ConsumerRecord<String, byte[]> r) {
        SignedBlocksEvent ev = EventCodec.SIGNED_BLOCKS.decode(r.value());
        if (ev instanceof SignedRevert sr) {
            return "revert " + sr.revert().revertToNumber();
        }
        SignedBlock sb = (SignedBlock) ev;
        return "block " + sb.payload().number() + " " + sb.payload().hash();
    }

    static SequencerRevert revert(long to, String hash, long from) {
        return new SequencerRevert(to, hash, from, "L1 reorg removed L1 message 0 included in L2 block " + (to + 1), 5, 6, 0, 0, "seq", 1);
    }

    @Test
    void signsAReplacementHeightOnlyAfterAValidRevertAndRemembersItAcrossRestarts() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings s = kafka.settings();
            TopicAdmin.ensureTopics(s, Topics.ALL);
            List<BlockPayload> honest = extend(List.of(), 3, 1);
            List<BlockPayload> fork = extend(honest.subList(0, 1), 2, 9); // blocks 2' and 3' on block 1
            append(s, honest);
            // Without a revert a second block 2 is never signed; a revert naming a block that was never signed is refused.
            append(s, List.of(fork.get(0), revert(1, fork.get(0).hash(), 3), revert(1, honest.get(1).hash(), 3)));
            try (SignerService signer = new SignerService(new LocalKeySigner(KEY), DEV, s, "signer-a")) {
                signer.start();
                assertEquals(List.of("block 1 " + honest.get(0).hash(), "block 2 " + honest.get(1).hash(), "block 3 " + honest.get(2).hash()),
                        signedBlocks(s, 3));
                append(s, List.of(revert(1, honest.get(0).hash(), 3), fork.get(0), fork.get(1)));
                List<String> expected = List.of("block 1 " + honest.get(0).hash(), "block 2 " + honest.get(1).hash(),
                        "block 3 " + honest.get(2).hash(), "revert 1", "block 2 " + fork.get(0).hash(), "block 3 " + fork.get(1).hash());
                assertEquals(expected, signedBlocks(s, 6));
            }
            // Restarted: the high-water mark is block 3' (after the revert), so the old block 3 replayed is not signed.
            append(s, List.of(honest.get(2)));
            try (SignerService signer = new SignerService(new LocalKeySigner(KEY), DEV, s, "signer-b")) {
                signer.start();
                assertEquals(6, signedBlocks(s, 6).size());
                // A second revert after the restart needs the remembered hash of block 2' (signed before the restart).
                append(s, List.of(revert(2, fork.get(0).hash(), 3), extend(List.of(honest.get(0), fork.get(0)), 1, 5).get(0)));
                List<String> after = signedBlocks(s, 8);
                assertEquals(8, after.size(), String.valueOf(after));
                assertEquals("revert 2", after.get(6));
                assertEquals("block 3 " + extend(List.of(honest.get(0), fork.get(0)), 1, 5).get(0).hash(), after.get(7));
            }
        }
    }
}
