package org.rollupnode.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import org.rollupnode.execution.types.Hash32;
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
import org.web3j.crypto.Sign;

/** A clean chain replays; each kind of tampering is caught and named with block, field and values. */
class ReplayTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final BigInteger SIGNER = new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 16);
    static final BigInteger OTHER = BigInteger.valueOf(424242);
    static final Address TO = Address.fromHex("0x" + "42".repeat(20));

    static Transaction transfer(int key, long nonce, long value) {
        return Transaction.eip1559(1337).nonce(nonce).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                .gasLimit(21_000).to(TO).value(BigInteger.valueOf(value)).data(new byte[0]).sign(ChainSpecs.devPrivateKeys().get(key));
    }

    static List<BlockPayload> chain(int n) throws Exception {
        ChainFolder folder = new ChainFolder(DEV);
        List<BlockPayload> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var parent = folder.head();
            BlockBuilder b = new BlockBuilder(DEV, parent, folder.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                    ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, DEV.baseFeeOverhead())));
            b.add(transfer(0, i, 1));
            b.add(transfer(1, i, 2));
            BuiltBlock built = b.seal(new byte[0]);
            folder.advance(built);
            out.add(Payloads.toPayload(built, 0, 0, "seq", 0, 0));
        }
        return out;
    }

    static String sign(BlockPayload p, BigInteger key) {
        Sign.SignatureData s = Sign.signMessage(Payloads.header(p).sealHash().toArray(), ECKeyPair.create(key), false);
        byte[] out = new byte[65];
        System.arraycopy(s.getR(), 0, out, 0, 32);
        System.arraycopy(s.getS(), 0, out, 32, 32);
        out[64] = (byte) (s.getV()[0] - 27);
        return Hex.encode(out);
    }

    static String address(BigInteger key) {
        return "0x" + Keys.getAddress(ECKeyPair.create(key));
    }


    static InMemoryRecords honest(List<BlockPayload> chain) {
        InMemoryRecords m = new InMemoryRecords();
        for (BlockPayload p : chain) {
            m.add(Topics.SEQUENCER_STREAM.name(), EventCodec.SEQUENCER_STREAM.encode(p));
            m.add(Topics.SIGNED_BLOCKS.name(), EventCodec.SIGNED_BLOCK.encode(new SignedBlock(p, sign(p, SIGNER), address(SIGNER), 0, 0)));
        }
        return m;
    }

    static BlockPayload withStateRoot(BlockPayload p, String root) {
        BlockPayload d = new BlockPayload(p.number(), p.hash(), p.parentHash(), p.timestamp(), p.feeRecipient(), p.baseFeePerGas(),
                p.gasLimit(), p.gasUsed(), root, p.transactionsRoot(), p.receiptsRoot(), p.logsBloom(), p.extraData(), p.difficulty(),
                p.mixHash(), p.transactions(), 0, 0, p.sequencerId(), 0, 0);
        return withHash(d, Payloads.header(d).hash().toHex());
    }

    static BlockPayload withHash(BlockPayload p, String hash) {
        return new BlockPayload(p.number(), hash, p.parentHash(), p.timestamp(), p.feeRecipient(), p.baseFeePerGas(), p.gasLimit(),
                p.gasUsed(), p.stateRoot(), p.transactionsRoot(), p.receiptsRoot(), p.logsBloom(), p.extraData(), p.difficulty(),
                p.mixHash(), p.transactions(), 0, 0, p.sequencerId(), 0, 0);
    }

    static BlockPayload withTransactions(BlockPayload p, List<String> txs) {
        return new BlockPayload(p.number(), p.hash(), p.parentHash(), p.timestamp(), p.feeRecipient(), p.baseFeePerGas(), p.gasLimit(),
                p.gasUsed(), p.stateRoot(), p.transactionsRoot(), p.receiptsRoot(), p.logsBloom(), p.extraData(), p.difficulty(),
                p.mixHash(), txs, 0, 0, p.sequencerId(), 0, 0);
    }

    @Test
    void aCleanChainPassesEveryCheck() throws Exception {
        ReplayReport r = new Replay(DEV, Address.fromHex(address(SIGNER))).run(honest(chain(5)), 1, Long.MAX_VALUE, null);
        assertTrue(r.ok(), String.valueOf(r.divergence()));
        assertEquals(5, r.blocksChecked());
        assertEquals(10, r.transactions());
    }

    @Test
    void anEditedTransactionIsCaughtByReexecution() throws Exception {
        List<BlockPayload> c = chain(4);
        BlockPayload p3 = c.get(2);
        List<String> txs = new ArrayList<>(p3.transactions());
        txs.set(1, Hex.encode(transfer(1, 2, 999).encoded())); // same sender and nonce, other value
        c.set(2, withTransactions(p3, txs));
        ReplayReport r = new Replay(DEV, null).run(honest(c), 1, Long.MAX_VALUE, null);
        assertEquals(3, r.divergence().block());
        assertEquals("re-execution", r.divergence().check());
        assertEquals("stateRoot", r.divergence().field());
        assertEquals(p3.stateRoot(), r.divergence().expected(), "the payload's claim");
    }

    @Test
    void aWrongStateRootIsCaughtEvenWithAConsistentHashAndSignature() throws Exception {
        List<BlockPayload> c = chain(3);
        String fake = "0x" + "99".repeat(32);
        c.set(1, withStateRoot(c.get(1), fake));
        ReplayReport r = new Replay(DEV, null).run(honest(c), 1, Long.MAX_VALUE, null);
        assertEquals(2, r.divergence().block());
        assertEquals("stateRoot", r.divergence().field());
        assertEquals(fake, r.divergence().expected());
        assertEquals(chain(3).get(1).stateRoot(), r.divergence().actual());
    }

    @Test
    void aForgedSignatureIsCaughtAndNamed() throws Exception {
        List<BlockPayload> c = chain(3);
        InMemoryRecords m = honest(c);
        List<TopicRecord> signed = m.read(Topics.SIGNED_BLOCKS.name());
        BlockPayload p2 = c.get(1);
        signed.set(1, new TopicRecord(Topics.SIGNED_BLOCKS.name(), 0, 1, null,
                EventCodec.SIGNED_BLOCK.encode(new SignedBlock(p2, sign(p2, OTHER), address(SIGNER), 0, 0))));
        ReplayReport r = new Replay(DEV, Address.fromHex(address(SIGNER))).run(m, 1, Long.MAX_VALUE, null);
        assertEquals(2, r.divergence().block());
        assertEquals("signature", r.divergence().check());
        assertEquals(address(OTHER), r.divergence().actual());
    }

    @Test
    void aHashThatIsNotTheHeadersHashIsCaught() throws Exception {
        List<BlockPayload> c = chain(2);
        c.set(0, withHash(c.get(0), Hash32.ZERO.toHex()));
        ReplayReport r = new Replay(DEV, null).run(honest(c), 1, Long.MAX_VALUE, null);
        assertEquals(1, r.divergence().block());
        assertEquals("hash", r.divergence().field());
    }

    @Test
    void aRoguePayloadWrittenWithoutTheTransactionalIdIsCaughtThroughKafkaAndInAnExport(@TempDir Path tmp) throws Exception {
        List<BlockPayload> c = chain(3);
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings s = kafka.settings();
            TopicAdmin.ensureTopics(s, Topics.ALL);
            try (KafkaProducer<String, byte[]> seq = new KafkaProducer<>(s.transactionalProducerConfig("seq", "rollup-node-sequencer"));
                 KafkaProducer<String, byte[]> rogue = new KafkaProducer<>(s.producerConfig("rogue"))) {
                seq.initTransactions();
                for (BlockPayload p : c) {
                    seq.beginTransaction();
                    seq.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(p.number()), EventCodec.SEQUENCER_STREAM.encode(p)));
                    seq.send(new ProducerRecord<>(Topics.SIGNED_BLOCKS.name(), 0, Long.toString(p.number()),
                            EventCodec.SIGNED_BLOCK.encode(new SignedBlock(p, sign(p, SIGNER), address(SIGNER), 0, 0))));
                    seq.commitTransaction();
                }
                ReplayReport clean = new Replay(DEV, null).run(new KafkaRecordSource(s), 1, Long.MAX_VALUE, null);
                assertTrue(clean.ok(), String.valueOf(clean.divergence()));
                // A second payload for height 2, valid on its own, appended outside the sequencer's transactions.
                List<BlockPayload> fork = chainWithDifferentSecondBlock();
                rogue.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, "2", EventCodec.SEQUENCER_STREAM.encode(fork.get(1)))).get();
            }
            ReplayReport r = new Replay(DEV, null).run(new KafkaRecordSource(s), 1, Long.MAX_VALUE, null);
            assertEquals(2, r.divergence().block());
            assertEquals("single-payload-per-height", r.divergence().check());
            assertEquals(6, r.divergence().offset(), "names the offset of the second record (after three payloads and their commit markers)");

            Path export = tmp.resolve("chain.jsonl");
            int n = ExportFile.write(export, new KafkaRecordSource(s), List.of(Topics.SEQUENCER_STREAM.name(), Topics.SIGNED_BLOCKS.name()));
            assertEquals(7, n);
            ReplayReport fromFile = new Replay(DEV, null).run(ExportFile.open(export), 1, Long.MAX_VALUE, null);
            assertEquals(r.divergence(), fromFile.divergence(), "the export replays to the same verdict");
            assertTrue(Files.readString(export).startsWith("{\"format\":\"rollup-node-export\""));
        }
    }

    static List<BlockPayload> chainWithDifferentSecondBlock() throws Exception {
        ChainFolder folder = new ChainFolder(DEV);
        List<BlockPayload> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var parent = folder.head();
            BlockBuilder b = new BlockBuilder(DEV, parent, folder.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                    ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, DEV.baseFeeOverhead())));
            b.add(transfer(0, i, 1));
            b.add(transfer(1, i, i == 1 ? 77 : 2));
            BuiltBlock built = b.seal(new byte[0]);
            folder.advance(built);
            out.add(Payloads.toPayload(built, 0, 0, "seq", 0, 0));
        }
        return out;
    }

    @Test
    void progressIsReportedPerBlock() throws Exception {
        List<Long> seen = new ArrayList<>();
        ReplayReport r = new Replay(DEV, null).run(honest(chain(3)), 2, 2, (done, total, elapsed) -> seen.add(done));
        assertTrue(r.ok());
        assertEquals(List.of(1L, 2L), seen, "replays from genesis up to --to");
        assertEquals(1, r.blocksChecked(), "only [from, to] counts as checked");
        assertNull(r.divergence());
    }
}
