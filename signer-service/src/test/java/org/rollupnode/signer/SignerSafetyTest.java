package org.rollupnode.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rollupnode.chain.BlockSignatures;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * The signer's two safety properties against a real broker: a failed signature never moves the
 * high-water mark (the same block is retried, none is skipped), and a fenced zombie holding a
 * signature can never commit it next to the new owner's.
 */
class SignerSafetyTest {
    static final String EXPECTED = "0x" + Keys.getAddress(ECKeyPair.create(SignerServiceTest.SIGNER_KEY));

    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** A local-key signer that can be held inside sign(), as a GC pause or a slow HSM would hold it. */
    static final class PausableSigner implements BlockSigner {
        final LocalKeySigner inner = new LocalKeySigner(SignerServiceTest.SIGNER_KEY);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Address address() {
            return inner.address();
        }

        @Override
        public byte[] sign(Hash32 sealHash) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.sign(sealHash);
        }
    }

    static void assertOnePerHeight(List<SignedBlock> all, List<BlockPayload> expected) throws Exception {
        assertEquals(expected.stream().map(BlockPayload::number).toList(), all.stream().map(b -> b.payload().number()).toList(),
                "exactly one signed record per height");
        assertEquals(expected.stream().map(BlockPayload::hash).toList(), all.stream().map(b -> b.payload().hash()).toList());
        for (SignedBlock b : all) {
            byte[] sig = Hex.decode(b.signature());
            assertEquals(EXPECTED, b.signer());
            assertEquals(EXPECTED, BlockSignatures.recover(Payloads.header(b.payload()).sealHash(), sig).toHex());
        }
    }

    @Test
    void aFencedZombieNeverCommitsTheSignatureItHolds() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings s = kafka.settings();
            TopicAdmin.ensureTopics(s, Topics.ALL);
            List<BlockPayload> chain = SignerServiceTest.chain(4, 0);
            SignerServiceTest.append(s, chain.subList(0, 1));
            PausableSigner paused = new PausableSigner();
            try (SignerService zombie = new SignerService(paused, SignerServiceTest.DEV, s, "signer-zombie")) {
                zombie.start();
                assertTrue(paused.entered.await(30, TimeUnit.SECONDS), "the first signer is inside sign() for block 1");
                try (SignerService owner = new SignerService(new LocalKeySigner(SignerServiceTest.SIGNER_KEY), SignerServiceTest.DEV, s, "signer-owner")) {
                    owner.start(); // initTransactions() fences the zombie's producer
                    assertTrue(owner.awaitReady(Duration.ofSeconds(30)));
                    SignerServiceTest.append(s, chain.subList(1, 3));
                    assertEquals(3, SignerServiceTest.signed(s, 3, Duration.ofSeconds(30)).size());

                    paused.release.countDown(); // the zombie now holds a valid signature for block 1
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (zombie.failure() == null && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertTrue(zombie.failure() != null && SignerService.fenced(zombie.failure()),
                            "the zombie stops as fenced, got " + zombie.failure());

                    // The owner is still the owner (the zombie did not re-initialise and fence it back).
                    SignerServiceTest.append(s, chain.subList(3, 4));
                    assertOnePerHeight(SignerServiceTest.signed(s, 4, Duration.ofSeconds(30)), chain);
                    assertNull(owner.failure());
                }
            }
        }
    }

    @Test
    void aFailedSignatureIsRetriedAndNeverSkipped() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(originalErr, captured), true, StandardCharsets.UTF_8));
        try (TestKafka kafka = TestKafka.start(); FakeKmsServer kms = FakeKmsServer.start(SignerServiceTest.SIGNER_KEY)) {
            KafkaSettings s = kafka.settings();
            TopicAdmin.ensureTopics(s, Topics.ALL);
            List<BlockPayload> chain = SignerServiceTest.chain(2, 0);
            Hash32 firstSeal = Payloads.header(chain.get(0)).sealHash();
            try (KmsSigner signer = KmsSigner.connect(KmsSignerConfig.of(FakeKmsServer.KEY_ARN, kms.endpoint(), "us-west-2"), 1337);
                 SignerService service = new SignerService(signer, SignerServiceTest.DEV, s, "signer-kms")) {
                kms.failNext("Sign", 3, 400, "AccessDeniedException", "not authorized to perform: kms:Sign");
                service.start();
                SignerServiceTest.append(s, chain);
                assertOnePerHeight(SignerServiceTest.signed(s, 2, Duration.ofSeconds(60)), chain);
                List<FakeKmsServer.Call> signs = kms.calls("Sign");
                assertEquals(5, signs.size(), "three refused attempts, then block 1 and block 2");
                for (int i = 0; i < 4; i++) {
                    assertEquals(firstSeal.toHex(), Hex.encode(Base64.getDecoder().decode(signs.get(i).body().get("Message").asText())),
                            "attempt " + (i + 1) + " is for block 1 again");
                }
                assertNull(service.failure());
            }
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("rollup_node::signer - An error occurred while signing block 1"), log);
        assertTrue(log.contains("failed to sign: AWS KMS Sign: access denied to AWS KMS key " + FakeKmsServer.KEY_ARN), log);
        assertTrue(log.contains("retrying the same block"), log);
    }

    /** Copies stderr so the test can read the signer's log lines. */
    static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

}
