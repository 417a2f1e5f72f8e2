package org.rollupnode.execution.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Address;
import org.web3j.crypto.Credentials;

class TransactionPrefetchTest {
    static List<Transaction> fresh(int n, List<Address> signers) {
        List<Transaction> txs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            BigInteger key = BigInteger.valueOf(5_000 + i);
            Transaction signed = Transaction.eip1559(1337).nonce(i).maxPriorityFeePerGas(1).maxFeePerGas(10).gasLimit(21_000)
                    .to(Address.fromHex("0x" + "22".repeat(20))).value(BigInteger.ONE).data(new byte[0]).sign(key);
            txs.add(TransactionDecoder.decode(signed.encoded())); // fresh object: sender not yet known
            if (signers != null) {
                signers.add(Address.fromHex(Credentials.create(key.toString(16)).getAddress()));
            }
        }
        return txs;
    }

    @Test
    void everyTransactionIsPreparedOnceAndItsSenderIsTheSigner() {
        List<Address> signers = new ArrayList<>();
        List<Transaction> txs = fresh(300, signers);
        Map<Transaction, Integer> calls = new IdentityHashMap<>();
        TransactionPrefetch p = TransactionPrefetch.start(txs, tx -> {
            synchronized (calls) {
                calls.merge(tx, 1, Integer::sum);
            }
        });
        p.finish();
        assertEquals(txs, p.transactions());
        assertEquals(txs.size(), calls.size());
        for (int i = 0; i < txs.size(); i++) {
            assertEquals(1, calls.get(txs.get(i)), "transaction " + i + " prepared once");
            assertEquals(signers.get(i), txs.get(i).sender(), "transaction " + i);
        }
    }

    @Test
    void aFailingPreparationDoesNotStopTheOthersNorTheWait() {
        List<Transaction> txs = fresh(100, null);
        List<Transaction> prepared = new ArrayList<>();
        TransactionPrefetch p = TransactionPrefetch.start(txs, tx -> {
            if (tx == txs.get(10)) {
                throw new IllegalStateException("boom");
            }
            synchronized (prepared) {
                prepared.add(tx);
            }
        });
        p.finish();
        assertEquals(99, prepared.size());
    }

    @Test
    void rawInputsAreDecodedInOrderAndPrepared() {
        List<Address> signers = new ArrayList<>();
        List<Transaction> txs = fresh(200, signers);
        List<byte[]> raw = new ArrayList<>();
        txs.forEach(t -> raw.add(t.encoded()));
        TransactionPrefetch p = TransactionPrefetch.decodeAndStart(raw, TransactionDecoder::decode, null);
        p.finish();
        List<Transaction> decoded = p.transactions();
        assertEquals(txs.size(), decoded.size());
        for (int i = 0; i < txs.size(); i++) {
            assertEquals(txs.get(i).hash(), decoded.get(i).hash(), "transaction " + i);
            assertEquals(signers.get(i), decoded.get(i).sender(), "transaction " + i);
        }
    }

    @Test
    void oneUndecodableRawInputLeavesTheDecodingToTheCaller() {
        List<byte[]> raw = new ArrayList<>();
        fresh(100, null).forEach(t -> raw.add(t.encoded()));
        raw.set(70, new byte[] {0x02, (byte) 0xc0});
        TransactionPrefetch p = TransactionPrefetch.decodeAndStart(raw, TransactionDecoder::decode, null);
        p.finish();
        assertNull(p.transactions());
    }

    @Test
    void finishingFromAnotherThreadThanTheStarterWorks() throws Exception {
        List<Address> signers = new ArrayList<>();
        List<Transaction> txs = fresh(150, signers);
        TransactionPrefetch p = TransactionPrefetch.start(txs, null);
        Thread t = new Thread(p::finish);
        t.start();
        t.join();
        for (int i = 0; i < txs.size(); i++) {
            assertEquals(signers.get(i), txs.get(i).sender(), "transaction " + i);
        }
    }
}
