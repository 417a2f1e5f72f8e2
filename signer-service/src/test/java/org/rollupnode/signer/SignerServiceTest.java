package org.rollupnode.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.rollupnode.chain.BlockSignatures;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/** The signer against a real broker: one signature per height, across restarts and rogue payloads. */
class SignerServiceTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final BigInteger SIGNER_KEY = new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 16);

    /** Builds a chain of {@code n} one-transfer payloads; {@code variant} changes the value so hashes differ. */
    static List<BlockPayload> chain(int n, int variant) throws Exception {
        ChainFolder folder = new ChainFolder(DEV);
        List<BlockPayload> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var parent = folder.head();
            BlockBuilder b = new BlockBuilder(DEV, parent, folder.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                    ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, DEV.baseFeeOverhead())));
            b.add(Transaction.eip1559(1337).nonce(i).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                    .gasLimit(21_000).to(Address.fromHex("0x" + "42".repeat(20))).value(BigInteger.valueOf(1 + variant)).data(new byte[0])
                    .sign(ChainSpecs.devPrivateKeys().get(0)));
            BuiltBlock built = b.seal(new byte[0]);
            folder.advance(built);
            out.add(Payloads.toPayload(built, 0, 0, "test", 0, 0));
        }
        return out;
    }

    static void append(KafkaSettings s, List<BlockPayload> payloads) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(s.producerConfig("rogue-or-test"))) {
            for (BlockPayload b : payloads) {
                p.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(b.number()), EventCodec.SEQUENCER_STREAM.encode(b))).get();
            }
        }
    }

    static List<SignedBlock> signed(KafkaSettings s, int atLeast, Duration timeout) {
        TopicPartition tp = new TopicPartition(Topics.SIGNED_BLOCKS.name(), 0);
        List<SignedBlock> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(s.readerConfig("check"))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            while (System.nanoTime() < deadline && out.size() < atLeast) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    out.add(EventCodec.SIGNED_BLOCK.decode(r.value()));
                }
            }
            // Read a little longer to catch anything extra.
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(1500))) {
                out.add(EventCodec.SIGNED_BLOCK.decode(r.value()));
            }
        }
        return out;
    }

    @Test
    void signsEachHeightOnceAndNeverASecondBlockAtTheSameHeight() throws Exception {
        String expectedSigner = "0x" + Keys.getAddress(ECKeyPair.create(SIGNER_KEY));
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings s = kafka.settings();
            TopicAdmin.ensureTopics(s, Topics.ALL);
            List<BlockPayload> honest = chain(3, 0);
            append(s, honest.subList(0, 2));
            try (SignerService signer = new SignerService(new LocalKeySigner(SIGNER_KEY), DEV, s, "signer-a")) {
                signer.start();
                assertEquals(2, signed(s, 2, Duration.ofSeconds(20)).size());
            }
            // A rogue writer appends a different block 2, then the honest block 3 follows.
            List<BlockPayload> fork = chain(2, 1);
            append(s, List.of(fork.get(1), honest.get(2)));
            try (SignerService signer = new SignerService(new LocalKeySigner(SIGNER_KEY), DEV, s, "signer-b")) {
                signer.start(); // restarted: resumes from its high-water mark in signed-blocks
                List<SignedBlock> all = signed(s, 3, Duration.ofSeconds(20));
                assertEquals(List.of(1L, 2L, 3L), all.stream().map(b -> b.payload().number()).toList());
                assertEquals(honest.stream().map(BlockPayload::hash).toList(), all.stream().map(b -> b.payload().hash()).toList());
                for (SignedBlock b : all) {
                    assertEquals(expectedSigner, b.signer());
                    byte[] sig = Hex.decode(b.signature());
                    assertTrue(sig[64] == 0 || sig[64] == 1, "v is the y-parity on the wire");
                    assertEquals(expectedSigner, BlockSignatures.recover(Payloads.header(b.payload()).sealHash(), sig).toHex());
                }
            }
        }
    }

    @Test
    void keyFileParsingFollowsTheRustNode() {
        String hex = "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef";
        assertEquals(SIGNER_KEY, KeyFile.parse(hex, "f"));
        assertEquals(SIGNER_KEY, KeyFile.parse("0x" + hex + "\n", "f"));
        assertEquals(SIGNER_KEY, KeyFile.parse("  " + hex + " \r\n", "f"));
        for (String bad : List.of(hex.substring(2), hex + "00", "0x" + "g" + hex.substring(1), "0".repeat(64),
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> KeyFile.parse(bad, "f"));
            assertTrue(!e.getMessage().contains(bad.length() > 8 ? bad.substring(4, 12) : "zz"), "errors never echo the key");
        }
    }
}
