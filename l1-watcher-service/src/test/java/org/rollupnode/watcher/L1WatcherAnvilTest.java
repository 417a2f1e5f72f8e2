package org.rollupnode.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1AuthorizedSigner;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.L1Finalized;
import org.rollupnode.schemas.L1Head;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Reorg;
import org.rollupnode.schemas.L1Safe;
import org.rollupnode.schemas.Topics;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/** The watcher against a real anvil L1 and a real Kafka broker. */
class L1WatcherAnvilTest {
    /** topic0 of QueueTransaction as published by Scroll (rust-node-spec §5.1), not computed here. */
    private static final String QUEUE_TRANSACTION_TOPIC0 = "0x69cfcb8e6d4192b8aba9902243912587f37e550d75c1fa801491fce26717f37e";
    private static final String TARGET_A = "0x1111111111111111111111111111111111111111";
    private static final String TARGET_B = "0x2222222222222222222222222222222222222222";
    private static final String TARGET_Z = "0x9999999999999999999999999999999999999999";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestKafka kafka;
    private Anvil anvil;
    private TestQueueContract queue;
    private final List<L1WatcherService> watchers = new ArrayList<>();
    private Path stateDir;

    /** Where --metrics would scrape: the services publish to Micrometer's global registry. */
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    @BeforeEach
    void setUp() throws Exception {
        io.micrometer.core.instrument.Metrics.addRegistry(meters);
        kafka = TestKafka.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        io.micrometer.core.instrument.Metrics.removeRegistry(meters);
        for (L1WatcherService w : watchers) {
            w.close();
        }
        if (anvil != null) {
            anvil.close();
        }
        kafka.close();
        TestKafka.deleteRecursively(stateDir);
    }

    private void startL1(boolean persistent) throws Exception {
        Path state = null;
        if (persistent) {
            stateDir = Files.createTempDirectory("anvil-state-");
            state = stateDir.resolve("state.json");
        }
        anvil = Anvil.start(state);
        queue = TestQueueContract.deploy(anvil);
    }

    private L1WatcherService startWatcher(long queryRange) throws Exception {
        L1WatcherConfig config = new L1WatcherConfig(URI.create(anvil.url()), queue.address, queryRange, 3, Duration.ofMillis(50),
                Duration.ofMillis(100), 0, 0);
        L1WatcherService w = new L1WatcherService(config, kafka.settings(), "l1-watcher-test-" + watchers.size());
        watchers.add(w);
        w.start();
        assertTrue(w.awaitReady(WAIT), "watcher did not read l1-events back");
        return w;
    }

    private long l1Latest() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    private EthBlock.Block l1Block(DefaultBlockParameter p) throws Exception {
        return anvil.web3j().ethGetBlockByNumber(p, false).send().getBlock();
    }

    private EthBlock.Block l1Block(long n) throws Exception {
        return l1Block(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)));
    }

    /** Every committed record of l1-events, decoded by the test itself. */
    private List<L1Event> topic() {
        TopicPartition tp = new TopicPartition(Topics.L1_EVENTS.name(), 0);
        List<L1Event> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.settings().readerConfig("test-reader"))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(EventCodec.L1_EVENT.decode(r.value(), r.topic(), r.partition(), r.offset()));
                }
            }
        }
        return out;
    }

    private double gauge(String name) {
        io.micrometer.core.instrument.Gauge g = meters.find(name).gauge();
        assertNotNull(g, "gauge " + name);
        return g.value();
    }

    private static <T> List<T> only(List<L1Event> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static L1Head lastHead(List<L1Event> events) {
        List<L1Head> heads = only(events, L1Head.class);
        return heads.isEmpty() ? null : heads.get(heads.size() - 1);
    }

    private void awaitProcessed(long block) throws Exception {
        waitFor(() -> {
            L1Head h = lastHead(topic());
            return h != null && h.number() >= block;
        }, "l1-events to reach L1 block " + block);
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static L1MessageQueued decodeIndependently(Log log) {
        Event event = new Event("QueueTransaction", List.of(new TypeReference<Address>(true) {}, new TypeReference<Address>(true) {},
                new TypeReference<Uint256>() {}, new TypeReference<Uint64>() {}, new TypeReference<Uint256>() {},
                new TypeReference<DynamicBytes>() {}));
        assertEquals(QUEUE_TRANSACTION_TOPIC0, EventEncoder.encode(event));
        assertEquals(QUEUE_TRANSACTION_TOPIC0, log.getTopics().get(0));
        List<Type> v = FunctionReturnDecoder.decode(log.getData(), event.getNonIndexedParameters());
        String sender = FunctionReturnDecoder.decodeIndexedValue(log.getTopics().get(1), new TypeReference<Address>() {}).toString();
        String target = FunctionReturnDecoder.decodeIndexedValue(log.getTopics().get(2), new TypeReference<Address>() {}).toString();
        return new L1MessageQueued(((BigInteger) v.get(1).getValue()).longValueExact(), log.getBlockNumber().longValueExact(),
                log.getBlockHash(), log.getTransactionHash(), log.getLogIndex().longValueExact(), sender, target,
                v.get(0).getValue().toString(), ((BigInteger) v.get(2).getValue()).longValueExact(),
                Numeric.toHexString((byte[]) v.get(3).getValue()));
    }

    private void setSignerSlot(String contract, String signer) throws Exception {
        String word = "0x" + "0".repeat(24) + signer.substring(2);
        var r = new org.web3j.protocol.core.Request<>("anvil_setStorageAt", List.of(contract, "0x67", word),
                new org.web3j.protocol.http.HttpService(anvil.url()), org.web3j.protocol.core.methods.response.VoidResponse.class).send();
        assertFalse(r.hasError(), () -> "anvil_setStorageAt: " + r.getError().getMessage());
        TestQueueContract.mine(anvil, 1); // a new head: the watcher reads the slot once per head
    }

    @Test
    void theAuthorizedSignerInSystemConfigSlot0x67IsPublishedAtStartAndOnEachChangeOnlyOnceAcrossARestart() throws Exception {
        startL1(false);
        String systemConfig = "0x" + "5c".repeat(20);
        String a = "0x" + "a1".repeat(20);
        String b = "0x" + "b2".repeat(20);
        setSignerSlot(systemConfig, a);
        L1WatcherConfig config = new L1WatcherConfig(URI.create(anvil.url()), queue.address, 500, 3, Duration.ofMillis(50),
                Duration.ofMillis(100), 0, 0, systemConfig);
        L1WatcherService w = new L1WatcherService(config, kafka.settings(), "l1-watcher-signer-0");
        watchers.add(w);
        w.start();
        assertTrue(w.awaitReady(WAIT));
        waitFor(() -> !only(topic(), L1AuthorizedSigner.class).isEmpty(), "the first authorized signer record");
        L1AuthorizedSigner first = only(topic(), L1AuthorizedSigner.class).get(0);
        assertEquals(a, first.signer());
        assertEquals(systemConfig, first.systemConfig());
        assertEquals(l1Block(first.l1BlockNumber()).getHash(), first.l1BlockHash());

        setSignerSlot(systemConfig, b);
        waitFor(() -> only(topic(), L1AuthorizedSigner.class).size() >= 2, "the changed signer");
        TestQueueContract.mine(anvil, 3);
        awaitProcessed(l1Latest());
        w.close();
        assertEquals(List.of(a, b), only(topic(), L1AuthorizedSigner.class).stream().map(L1AuthorizedSigner::signer).toList(),
                "one record per change, none for unchanged heads");

        L1WatcherService again = new L1WatcherService(config, kafka.settings(), "l1-watcher-signer-1");
        watchers.add(again);
        again.start();
        assertTrue(again.awaitReady(WAIT));
        TestQueueContract.mine(anvil, 2);
        awaitProcessed(l1Latest());
        setSignerSlot(systemConfig, "0x" + "0".repeat(40)); // emptied on L1: nobody is authorized, and that is published too
        waitFor(() -> only(topic(), L1AuthorizedSigner.class).size() >= 3, "the emptied slot");
        assertEquals(List.of(a, b, "0x" + "0".repeat(40)),
                only(topic(), L1AuthorizedSigner.class).stream().map(L1AuthorizedSigner::signer).toList(),
                "a restart republishes nothing it already published");
    }

    @Test
    void messagesArePublishedInQueueOrderWithTheirL1Fields() throws Exception {
        startL1(false);
        TransactionReceipt r0 = queue.appendMessage(TARGET_A, BigInteger.valueOf(5), 123_456, Numeric.hexStringToByteArray("0xdeadbeef"));
        TransactionReceipt r1 = queue.appendMessages(TARGET_B, 3);
        TestQueueContract.mine(anvil, 5);
        TransactionReceipt r2 = queue.appendMessage(TARGET_A, new BigInteger("1000000000000000000000"), 1, new byte[0]);
        long latest = l1Latest();
        startWatcher(3); // small ranges: several eth_getLogs windows and heads
        awaitProcessed(latest);

        List<L1Event> events = topic();
        List<L1MessageQueued> messages = only(events, L1MessageQueued.class);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), messages.stream().map(L1MessageQueued::queueIndex).toList());

        // What the test sent, not what the watcher decoded:
        L1MessageQueued m0 = messages.get(0);
        assertEquals(Anvil.DEV0, m0.sender());
        assertEquals(TARGET_A, m0.target());
        assertEquals("5", m0.value());
        assertEquals(123_456, m0.gasLimit());
        assertEquals("0xdeadbeef", m0.data());
        assertEquals(r0.getBlockNumber().longValueExact(), m0.l1BlockNumber());
        assertEquals(r0.getBlockHash(), m0.l1BlockHash());
        assertEquals(r0.getTransactionHash(), m0.l1TxHash());
        for (int i = 0; i < 3; i++) {
            L1MessageQueued m = messages.get(1 + i);
            assertEquals(TARGET_B, m.target());
            assertEquals(String.valueOf(i), m.value());
            assertEquals(100_000 + i, m.gasLimit());
            assertEquals("0x0000000" + i, m.data());
            assertEquals(r1.getTransactionHash(), m.l1TxHash());
            assertEquals(i, m.logIndex());
        }
        L1MessageQueued m4 = messages.get(4);
        assertEquals("1000000000000000000000", m4.value());
        assertEquals("0x", m4.data());
        assertEquals(r2.getBlockNumber().longValueExact(), m4.l1BlockNumber());

        // The raw logs, decoded by the test with web3j's ABI decoder, equal the published records.
        List<Log> raw = new ArrayList<>(r0.getLogs());
        raw.addAll(r1.getLogs());
        raw.addAll(r2.getLogs());
        assertEquals(raw.stream().map(L1WatcherAnvilTest::decodeIndependently).toList(), messages);

        // Each message precedes the head of its block's range; heads link up and match anvil.
        long lastHead = -1;
        for (L1Event e : events) {
            if (e instanceof L1MessageQueued m) {
                assertTrue(m.l1BlockNumber() > lastHead, "message " + m.queueIndex() + " after its head");
            } else if (e instanceof L1Head h) {
                assertTrue(h.number() > lastHead);
                assertTrue(h.number() - lastHead <= 3, "query range 3 respected");
                assertEquals(l1Block(h.number()).getHash(), h.hash());
                assertEquals(l1Block(h.number()).getParentHash(), h.parentHash());
                lastHead = h.number();
            }
        }
        assertEquals(latest, lastHead);
        assertTrue(only(events, L1Head.class).size() >= 4);
    }

    @Test
    void headSafeAndFinalizedTrackAnvil() throws Exception {
        startL1(false);
        TestQueueContract.mine(anvil, 6);
        L1WatcherService w = startWatcher(500);
        for (int round = 0; round < 2; round++) {
            long latest = l1Latest();
            awaitProcessed(latest);
            waitFor(() -> {
                L1WatcherStatus s = w.status();
                return s.synced() && s.latestBlock() != null && s.latestBlock() == latest;
            }, "status at " + latest);
            EthBlock.Block safe = l1Block(DefaultBlockParameterName.SAFE);
            EthBlock.Block finalized = l1Block(DefaultBlockParameterName.FINALIZED);
            assertEquals(latest - 1, safe.getNumber().longValueExact(), "anvil --slots-in-an-epoch 1");
            assertEquals(latest - 2, finalized.getNumber().longValueExact());
            waitFor(() -> {
                List<L1Event> ev = topic();
                List<L1Finalized> f = only(ev, L1Finalized.class);
                return !f.isEmpty() && f.get(f.size() - 1).number() == latest - 2;
            }, "finalized " + (latest - 2));
            List<L1Event> events = topic();
            List<L1Safe> safes = only(events, L1Safe.class);
            List<L1Finalized> fins = only(events, L1Finalized.class);
            assertEquals(new L1Safe(latest - 1, safe.getHash()), safes.get(safes.size() - 1));
            assertEquals(new L1Finalized(latest - 2, finalized.getHash()), fins.get(fins.size() - 1));
            assertEquals(latest, lastHead(events).number());
            assertEquals(l1Block(latest).getHash(), lastHead(events).hash());

            L1WatcherStatus s = w.status();
            assertTrue(s.connected());
            assertEquals(latest - 1, s.safeBlock());
            assertEquals(latest - 2, s.finalizedBlock());
            assertEquals(latest, s.processedBlock());
            assertNull(s.stalled());

            L1View view = L1EventsReader.readAll(kafka.settings(), "test-view");
            assertEquals(latest, view.head().orElseThrow().number());
            assertEquals(latest - 1, view.safe().orElseThrow().number());
            assertEquals(latest - 2, view.finalized().orElseThrow().number());

            // The same, as an operator's Prometheus sees it.
            assertEquals(1.0, gauge("l1_connected"));
            assertEquals(latest, gauge("l1_head_block"));
            assertEquals(latest - 2, gauge("l1_finalized_block"));
            assertEquals(latest, gauge("l1_processed_block"));
            assertEquals(0.0, gauge("l1_head_lag_blocks"));
            assertEquals(2.0, gauge("l1_finalized_lag_blocks"));
            TestQueueContract.mine(anvil, 3);
        }
    }

    @Test
    void restartResumesWithoutDuplicatesOrGaps() throws Exception {
        startL1(false);
        queue.appendMessages(TARGET_A, 3);
        L1WatcherService first = startWatcher(500);
        awaitProcessed(l1Latest());
        first.close();
        List<L1Event> before = topic();
        L1Head headBefore = lastHead(before);

        queue.appendMessage(TARGET_B, BigInteger.ONE, 21_000, new byte[] {1});
        TestQueueContract.mine(anvil, 2);
        queue.appendMessage(TARGET_B, BigInteger.TWO, 21_000, new byte[] {2});
        long latest = l1Latest();
        L1WatcherService second = startWatcher(500);
        awaitProcessed(latest);

        List<L1Event> all = topic();
        assertEquals(before, all.subList(0, before.size()), "nothing before the restart is rewritten");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), only(all, L1MessageQueued.class).stream().map(L1MessageQueued::queueIndex).toList());
        List<L1Head> newHeads = only(all.subList(before.size(), all.size()), L1Head.class);
        assertFalse(newHeads.isEmpty());
        assertTrue(newHeads.get(0).number() > headBefore.number(), "resumes after the processed block, none processed twice");
        List<Long> headNumbers = only(all, L1Head.class).stream().map(L1Head::number).toList();
        assertEquals(headNumbers.stream().sorted().distinct().toList(), headNumbers, "heads strictly increase across the restart");
        assertEquals(5L, second.status().nextQueueIndex());
        assertTrue(only(all, L1Reorg.class).isEmpty());
    }

    @Test
    void reorgPublishesTheCommonAncestorAndTheNewBranchsMessages() throws Exception {
        startL1(false);
        TransactionReceipt r0 = queue.appendMessage(TARGET_A, BigInteger.ZERO, 50_000, new byte[] {0});
        TransactionReceipt r1 = queue.appendMessage(TARGET_A, BigInteger.ONE, 50_000, new byte[] {1});
        TransactionReceipt r2 = queue.appendMessage(TARGET_A, BigInteger.TWO, 50_000, new byte[] {2});
        long ancestor = r0.getBlockNumber().longValueExact();
        assertEquals(ancestor + 2, r2.getBlockNumber().longValueExact());
        L1WatcherService w = startWatcher(500);
        awaitProcessed(r2.getBlockNumber().longValueExact());
        String ancestorHash = l1Block(ancestor).getHash();
        int recordsBefore = topic().size();

        // Replace the blocks of messages 1 and 2 by a branch whose first block carries one other message.
        TestQueueContract.reorg(anvil, 2, List.of(Map.of("tx", Map.of("from", Anvil.DEV0, "to", queue.address,
                "data", TestQueueContract.appendMessageCalldata(TARGET_Z, BigInteger.TEN, 77_000, new byte[] {7, 7})), "offset", 0)));
        EthBlock.Block newBlock = l1Block(ancestor + 1);
        assertFalse(newBlock.getHash().equals(r1.getBlockHash()), "anvil replaced the block");
        awaitProcessed(ancestor + 2);
        waitFor(() -> !only(topic(), L1Reorg.class).isEmpty(), "an L1Reorg record");
        waitFor(() -> only(topic(), L1MessageQueued.class).size() >= 4, "the new branch's message");

        List<L1Event> all = topic();
        List<L1Event> after = all.subList(recordsBefore, all.size());
        L1Reorg reorg = (L1Reorg) after.stream().filter(e -> e instanceof L1Reorg).findFirst().orElseThrow();
        assertEquals(ancestor, reorg.commonAncestorNumber());
        assertEquals(ancestorHash, reorg.commonAncestorHash());
        assertEquals(ancestor + 1, reorg.removedFromNumber());
        List<L1MessageQueued> republished = only(after.subList(after.indexOf(reorg), after.size()), L1MessageQueued.class);
        assertEquals(1, republished.size());
        L1MessageQueued m = republished.get(0);
        assertEquals(1, m.queueIndex(), "the new branch continues the queue after the ancestor's messages");
        assertEquals(TARGET_Z, m.target());
        assertEquals("10", m.value());
        assertEquals(77_000, m.gasLimit());
        assertEquals("0x0707", m.data());
        assertEquals(ancestor + 1, m.l1BlockNumber());
        assertEquals(newBlock.getHash(), m.l1BlockHash());

        L1View view = L1EventsReader.readAll(kafka.settings(), "test-view");
        assertEquals(List.of(0L, 1L), List.copyOf(view.messages().keySet()));
        assertEquals(r0.getTransactionHash(), view.message(0).orElseThrow().l1TxHash());
        assertEquals(TARGET_Z, view.message(1).orElseThrow().target());
        assertEquals(l1Block(ancestor + 2).getHash(), view.head().orElseThrow().hash());
        assertEquals(1, view.reorgCount());

        TransactionReceipt r3 = queue.appendMessage(TARGET_B, BigInteger.ONE, 1, new byte[0]);
        awaitProcessed(r3.getBlockNumber().longValueExact());
        assertEquals(3L, w.status().nextQueueIndex());
    }

    @Test
    void unreachableL1IsRetriedAndTheWatcherRecoversWhenItReturns() throws Exception {
        startL1(true);
        queue.appendMessage(TARGET_A, BigInteger.ONE, 21_000, new byte[0]);
        L1WatcherService w = startWatcher(500);
        awaitProcessed(l1Latest());
        assertTrue(w.status().connected());

        anvil.stop();
        waitFor(() -> !w.status().connected() && w.status().consecutiveFailures() >= 5, "the watcher to notice L1 is down");
        L1WatcherStatus down = w.status();
        assertNotNull(down.lastError());
        assertTrue(down.lastError().contains(anvil.url().replace("http://", "")), down.lastError());
        assertTrue(down.consecutiveFailures() > 3, "keeps retrying past --l1.max-retries");

        anvil.launch(); // same port, same chain (state file)
        TransactionReceipt r = queue.appendMessage(TARGET_B, BigInteger.TWO, 21_000, new byte[] {9});
        awaitProcessed(r.getBlockNumber().longValueExact());
        waitFor(() -> w.status().connected(), "status connected again");
        assertEquals(0, w.status().consecutiveFailures());
        assertEquals(List.of(0L, 1L), only(topic(), L1MessageQueued.class).stream().map(L1MessageQueued::queueIndex).toList());
        assertEquals(TARGET_B, only(topic(), L1MessageQueued.class).get(1).target());
    }

    @Test
    void aQueueIndexGapIsALoudErrorAndNothingPastItIsPublished() throws Exception {
        startL1(false);
        queue.appendMessage(TARGET_A, BigInteger.ZERO, 21_000, new byte[0]);
        queue.skipQueueIndexes(1);
        TransactionReceipt gap = queue.appendMessage(TARGET_A, BigInteger.ONE, 21_000, new byte[0]);
        TestQueueContract.mine(anvil, 2);
        String log = captureStderr(() -> {
            L1WatcherService w = startWatcher(500);
            waitFor(() -> w.status().stalled() != null, "the watcher to stall");
        });
        L1WatcherService w = watchers.get(0);
        String stalled = w.status().stalled();
        assertTrue(stalled.startsWith("QUEUE_GAP"), stalled);
        assertTrue(stalled.contains("index 1"), stalled);
        assertTrue(stalled.contains("L1 block " + gap.getBlockNumber()), stalled);
        assertTrue(stalled.contains(gap.getTransactionHash()), stalled);
        assertTrue(stalled.contains("log index 0"), stalled);
        assertTrue(log.contains("ERROR scroll::watcher") && log.contains("queue gap detected at index 1"), log);

        List<L1Event> events = topic();
        assertEquals(List.of(0L), only(events, L1MessageQueued.class).stream().map(L1MessageQueued::queueIndex).toList());
        L1Head head = lastHead(events);
        assertTrue(head == null || head.number() < gap.getBlockNumber().longValueExact(), "no head at or past the gap");
        assertEquals(0L, w.status().nextQueueIndex() - 1);
    }

    @Test
    void anUndecodableQueueLogStopsTheWatcher() throws Exception {
        startL1(false);
        queue.appendMessage(TARGET_A, BigInteger.ZERO, 21_000, new byte[0]);
        TransactionReceipt bad = queue.emitMalformed();
        L1WatcherService w = startWatcher(1);
        waitFor(() -> w.status().stalled() != null, "the watcher to stall");
        String stalled = w.status().stalled();
        assertTrue(stalled.startsWith("UNDECODABLE_LOG"), stalled);
        assertTrue(stalled.contains("L1 block " + bad.getBlockNumber() + " tx " + bad.getTransactionHash() + " log index 0"), stalled);
        List<L1Event> events = topic();
        assertEquals(1, only(events, L1MessageQueued.class).size());
        assertEquals(bad.getBlockNumber().longValueExact() - 1, lastHead(events).number(), "stops just before the bad block");
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs the action while copying stderr (where slf4j-simple logs) into a string. */
    private static String captureStderr(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                original.write(b);
                copy.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                copy.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        synchronized (tee) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }
}
