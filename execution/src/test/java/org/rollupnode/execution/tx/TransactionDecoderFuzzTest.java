package org.rollupnode.execution.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import org.rollupnode.execution.types.Hex;

/**
 * Coverage-guided fuzzing of {@link TransactionDecoder#decode}: the bytes of
 * {@code eth_sendRawTransaction} and of every block. Corpus in {@code TransactionDecoderFuzzTestInputs/}.
 *
 * <p>Properties: the only failure is an {@link InvalidTransactionException} with a reason and a
 * message; a decoded transaction rebuilt from its fields by the {@link Transaction.Builder} (or
 * {@link Transaction#l1Message}) encodes to the input byte for byte and has the same signing hash
 * (the format is canonical, so two encodings of one transaction cannot exist); what the node does
 * with a decoded transaction next (hex decoding, the user-submission check, intrinsic gas, static
 * validation, sender recovery) fails only with that exception too.
 */
class TransactionDecoderFuzzTest {

    private static final long SCROLL_MAINNET = 534352;

    @FuzzTest(maxDuration = "30s")
    void decodeIsStrictAndReencodes(byte[] input) {
        Transaction tx;
        try {
            tx = TransactionDecoder.decode(input);
        } catch (InvalidTransactionException e) {
            assertExplained(e);
            // the RPC path (hex string) must reach the same verdict
            InvalidTransactionException viaHex = expectInvalid(() -> TransactionDecoder.decodeHex(Hex.encode(input)));
            assertEquals(e.reason(), viaHex.reason(), "decodeHex and decode disagree");
            return;
        }
        assertArrayEquals(input, tx.encoded());
        assertEquals(tx, TransactionDecoder.decodeHex(Hex.encode(input)), "decodeHex and decode disagree");

        if (tx.isL1Message()) {
            Transaction rebuilt = Transaction.l1Message(tx.queueIndex(), tx.gasLimit(), tx.to(), tx.value(), tx.data(), tx.sender());
            assertArrayEquals(input, rebuilt.encoded(), "L1 message does not re-encode to its input");
            InvalidTransactionException e = expectInvalid(() -> TransactionDecoder.decodeUserTransaction(input));
            assertEquals(InvalidTransactionException.Reason.L1_MESSAGE_NOT_ALLOWED, e.reason());
        } else {
            Transaction.Builder b = builderFor(tx);
            assertArrayEquals(input, b.encode(tx.yParity(), tx.r(), tx.s()), "transaction does not re-encode to its input");
            assertArrayEquals(b.signingHash(), tx.signingHash(), "signing hash differs from the rebuilt transaction's");
            assertEquals(tx, TransactionDecoder.decodeUserTransaction(input));
        }

        // what the pool and the block builder do next
        assertTrue(tx.intrinsicGas() >= Transaction.TX_GAS, "intrinsic gas below 21000");
        assertTrue(tx.floorDataGas() >= Transaction.TX_GAS, "floor data gas below 21000");
        tx.effectiveGasPrice(BigInteger.ONE);
        try {
            tx.validateStatic(SCROLL_MAINNET);
        } catch (InvalidTransactionException e) {
            assertExplained(e);
        }
        try {
            assertNotNull(tx.sender());
        } catch (InvalidTransactionException e) {
            assertEquals(InvalidTransactionException.Reason.INVALID_SENDER, e.reason());
        }
    }

    private static Transaction.Builder builderFor(Transaction tx) {
        Transaction.Builder b = switch (tx.type()) {
            case Transaction.TYPE_LEGACY -> Transaction.legacy(tx.chainId());
            case Transaction.TYPE_ACCESS_LIST -> Transaction.accessList(tx.chainId());
            case Transaction.TYPE_EIP1559 -> Transaction.eip1559(tx.chainId());
            case Transaction.TYPE_EIP7702 -> Transaction.eip7702(tx.chainId());
            default -> throw new AssertionError("decoder returned unexpected type " + tx.type());
        };
        b.nonce(tx.nonce()).gasLimit(tx.rawGasLimit()).to(tx.to()).value(tx.value()).data(tx.data());
        if (tx.type() == Transaction.TYPE_LEGACY || tx.type() == Transaction.TYPE_ACCESS_LIST) {
            b.gasPrice(tx.gasPrice());
        } else {
            b.maxPriorityFeePerGas(tx.maxPriorityFeePerGas()).maxFeePerGas(tx.maxFeePerGas());
        }
        if (tx.type() != Transaction.TYPE_LEGACY) {
            b.accessList(tx.accessList());
        }
        if (tx.type() == Transaction.TYPE_EIP7702) {
            b.authorizationList(tx.authorizationList());
        }
        return b;
    }

    private interface Decode {
        Object run();
    }

    private static InvalidTransactionException expectInvalid(Decode d) {
        try {
            d.run();
        } catch (InvalidTransactionException e) {
            assertExplained(e);
            return e;
        }
        throw new AssertionError("expected an InvalidTransactionException");
    }

    private static void assertExplained(InvalidTransactionException e) {
        assertNotNull(e.reason(), "InvalidTransactionException without a reason");
        assertNotNull(e.getMessage(), "InvalidTransactionException without a message");
        assertFalse(e.getMessage().isBlank(), "InvalidTransactionException with a blank message");
    }
}
