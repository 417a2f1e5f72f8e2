package org.rollupnode.execution.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Address;
import org.web3j.crypto.Credentials;

class SenderPrefetchTest {
    @Test
    void prefetchedSendersAreTheSigners() {
        List<Transaction> txs = new ArrayList<>();
        List<Address> signers = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            BigInteger key = BigInteger.valueOf(1_000 + i);
            Transaction signed = Transaction.eip1559(1337).nonce(i).maxPriorityFeePerGas(1).maxFeePerGas(10).gasLimit(21_000)
                    .to(Address.fromHex("0x" + "11".repeat(20))).value(BigInteger.ONE).data(new byte[0]).sign(key);
            txs.add(TransactionDecoder.decode(signed.encoded())); // fresh object: sender not yet known
            signers.add(Address.fromHex(Credentials.create(key.toString(16)).getAddress()));
        }
        SenderPrefetch.recoverAll(txs);
        for (int i = 0; i < txs.size(); i++) {
            assertEquals(signers.get(i), txs.get(i).sender(), "transaction " + i);
        }
    }

    @Test
    void anUnrecoverableSignatureIsLeftForTheExecutorToReport() {
        List<Transaction> txs = new ArrayList<>();
        Transaction.Builder b = Transaction.eip1559(1337).nonce(0).maxPriorityFeePerGas(1).maxFeePerGas(10).gasLimit(21_000)
                .to(Address.fromHex("0x" + "11".repeat(20))).value(BigInteger.ONE).data(new byte[0]);
        // An r with no curve point at x = r: no key recovers (found with BouncyCastle, not the prefetch).
        BigInteger r = BigInteger.ONE;
        while (Secp256k1.recoverPublicKeyBouncyCastle(new byte[32], 0, r, BigInteger.ONE) != null) {
            r = r.add(BigInteger.ONE);
        }
        Transaction bad = b.withSignature(0, r, BigInteger.ONE);
        for (int i = 0; i < 100; i++) {
            txs.add(TransactionDecoder.decode(b.sign(BigInteger.valueOf(7)).encoded()));
        }
        txs.add(50, bad);
        SenderPrefetch.recoverAll(txs);
        InvalidTransactionException e = assertThrows(InvalidTransactionException.class, bad::sender);
        assertEquals(InvalidTransactionException.Reason.INVALID_SENDER, e.reason());
    }
}
