package org.rollupnode.execution.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rollupnode.execution.tx.TransactionCodecTest.KEY;
import static org.rollupnode.execution.tx.TransactionCodecTest.SCROLL;
import static org.rollupnode.execution.tx.TransactionCodecTest.TO;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.tx.InvalidTransactionException.Reason;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;

/** Every way a transaction can be rejected gives its own stable reason. */
class TransactionBadInputTest {

    static InvalidTransactionException expect(Reason reason, Executable ex) {
        InvalidTransactionException e = assertThrows(InvalidTransactionException.class, ex);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    static List<Transaction> samples() {
        Address delegate = Address.fromHex("0x00000000000000000000000000000000000000de");
        return List.of(
                Transaction.legacy(SCROLL).nonce(1).gasPrice(5).gasLimit(21000).to(TO).value(9).sign(KEY),
                Transaction.legacy(null).nonce(1).gasPrice(5).gasLimit(60000).data(new byte[] {1, 2}).sign(KEY),
                Transaction.accessList(SCROLL).nonce(1).gasPrice(5).gasLimit(30000).to(TO).sign(KEY),
                Transaction.eip1559(SCROLL).nonce(1).maxPriorityFeePerGas(1).maxFeePerGas(5).gasLimit(21000).to(TO).sign(KEY),
                Transaction.eip7702(SCROLL).nonce(1).maxFeePerGas(5).gasLimit(50000).to(TO)
                        .authorizationList(List.of(Authorization.sign(SCROLL, delegate, 0, KEY))).sign(KEY),
                Transaction.l1Message(5, 100_000, TO, BigInteger.ONE, new byte[] {9}, delegate));
    }

    @Test
    void emptyInput() {
        expect(Reason.EMPTY_INPUT, () -> TransactionDecoder.decode(new byte[0]));
        expect(Reason.EMPTY_INPUT, () -> TransactionDecoder.decodeHex("0x"));
        expect(Reason.EMPTY_INPUT, () -> TransactionDecoder.decode(null));
    }

    @Test
    void truncated() {
        for (Transaction tx : samples()) {
            byte[] raw = tx.encoded();
            for (int cut = 1; cut < raw.length; cut++) {
                byte[] t = Arrays.copyOf(raw, raw.length - cut);
                InvalidTransactionException e = assertThrows(InvalidTransactionException.class, () -> TransactionDecoder.decode(t));
                assertTrue(e.reason() == Reason.MALFORMED_RLP || e.reason() == Reason.EMPTY_INPUT, tx.type() + " cut " + cut + ": " + e.reason());
            }
        }
    }

    @Test
    void trailingBytes() {
        for (Transaction tx : samples()) {
            byte[] raw = Arrays.copyOf(tx.encoded(), tx.encodedLength() + 1);
            expect(Reason.TRAILING_BYTES, () -> TransactionDecoder.decode(raw));
        }
    }

    @Test
    void blobTransactionRejected() {
        byte[] raw = Hex.decode("0x03f8" + "00");
        InvalidTransactionException e = expect(Reason.BLOB_TX_NOT_SUPPORTED, () -> TransactionDecoder.decode(raw));
        assertEquals("blob transactions (type 3) are not supported on Scroll", e.getMessage());
        // a well-formed 1559 payload relabelled as type 3 is still refused for its type
        byte[] relabelled = samples().get(3).encoded();
        relabelled[0] = 3;
        expect(Reason.BLOB_TX_NOT_SUPPORTED, () -> TransactionDecoder.decode(relabelled));
    }

    @Test
    void unknownTypes() {
        byte[] raw = samples().get(3).encoded();
        for (int t : new int[] {0x00, 0x05, 0x7d, 0x7f}) {
            raw[0] = (byte) t;
            expect(Reason.UNSUPPORTED_TYPE, () -> TransactionDecoder.decode(raw));
        }
    }

    @Test
    void highS() {
        BigInteger n = Secp256k1.N;
        Transaction.Builder[] builders = {
            Transaction.legacy(SCROLL).gasPrice(5).gasLimit(21000).to(TO),
            Transaction.legacy(null).gasPrice(5).gasLimit(21000).to(TO),
            Transaction.accessList(SCROLL).gasPrice(5).gasLimit(21000).to(TO),
            Transaction.eip1559(SCROLL).maxFeePerGas(5).gasLimit(21000).to(TO),
        };
        for (Transaction.Builder b : builders) {
            Transaction ok = b.sign(KEY);
            // (r, n - s, flipped parity) is the same signature in its high-s form: ecrecover would accept it
            byte[] malleated = b.encode(1 - ok.yParity(), ok.r(), n.subtract(ok.s()));
            InvalidTransactionException e = expect(Reason.INVALID_SIGNATURE, () -> TransactionDecoder.decode(malleated));
            assertTrue(e.getMessage().contains("EIP-2"), e.getMessage());
            expect(Reason.INVALID_SIGNATURE, () -> TransactionDecoder.decode(b.encode(ok.yParity(), BigInteger.ZERO, ok.s())));
            expect(Reason.INVALID_SIGNATURE, () -> TransactionDecoder.decode(b.encode(ok.yParity(), ok.r(), BigInteger.ZERO)));
            expect(Reason.INVALID_SIGNATURE, () -> TransactionDecoder.decode(b.encode(ok.yParity(), n, ok.s())));
        }
    }

    @Test
    void typedYParityMustBe0or1() {
        Transaction.Builder b = Transaction.eip1559(SCROLL).maxFeePerGas(5).gasLimit(21000).to(TO);
        Transaction ok = b.sign(KEY);
        expect(Reason.INVALID_SIGNATURE, () -> TransactionDecoder.decode(b.encode(2, ok.r(), ok.s())));
        expect(Reason.INVALID_SIGNATURE, () -> TransactionDecoder.decode(b.encode(27, ok.r(), ok.s())));
    }

    @Test
    void legacyV() {
        Transaction ok = Transaction.legacy(null).gasPrice(5).gasLimit(21000).to(TO).sign(KEY);
        for (int v : new int[] {0, 1, 26, 29, 34}) {
            byte[] raw = legacyWithV(ok, BigInteger.valueOf(v));
            expect(Reason.INVALID_CHAIN_ID, () -> TransactionDecoder.decode(raw));
        }
        // v for chain id 5: decodes, but is the wrong chain for Scroll
        Transaction other = TransactionDecoder.decode(legacyWithV(ok, BigInteger.valueOf(5 * 2 + 35)));
        assertEquals(5L, other.chainId());
        expect(Reason.WRONG_CHAIN_ID, () -> other.validateStatic(SCROLL));
        // v encoding a chain id above 2^63-1
        byte[] huge = legacyWithV(ok, BigInteger.ONE.shiftLeft(70).add(BigInteger.valueOf(35)));
        expect(Reason.INVALID_CHAIN_ID, () -> TransactionDecoder.decode(huge));
        // typed chain id of the wrong chain
        Transaction typed = Transaction.eip1559(1).maxFeePerGas(5).gasLimit(21000).to(TO).sign(KEY);
        expect(Reason.WRONG_CHAIN_ID, () -> typed.validateStatic(SCROLL));
    }

    static byte[] legacyWithV(Transaction tx, BigInteger v) {
        return Rlp.encodeList(Rlp.encodeLong(tx.nonce()), Rlp.encodeBigInteger(tx.gasPrice()), Rlp.encodeLong(tx.gasLimit()),
                Rlp.encodeBytes(tx.to().toArray()), Rlp.encodeBigInteger(tx.value()), Rlp.encodeBytes(tx.data()),
                Rlp.encodeBigInteger(v), Rlp.encodeBigInteger(tx.r()), Rlp.encodeBigInteger(tx.s()));
    }

    @Test
    void garbage() {
        for (String hex : new String[] {"0xdeadbeef", "0x80", "0xb8", "0xc0", "0x02", "0x02c0", "0x0280", "0x7e", "0xf8", "0xffffffffffffffff",
                "0x01c3c0c0c0"}) {
            InvalidTransactionException e = assertThrows(InvalidTransactionException.class, () -> TransactionDecoder.decodeHex(hex), hex);
            assertTrue(e.reason() == Reason.MALFORMED_RLP || e.reason() == Reason.WRONG_FIELD_COUNT, hex + " -> " + e.reason());
        }
        expect(Reason.WRONG_FIELD_COUNT, () -> TransactionDecoder.decodeHex("0xc0"));
        expect(Reason.MALFORMED_RLP, () -> TransactionDecoder.decodeHex("0x0280"));
        expect(Reason.MALFORMED_RLP, () -> TransactionDecoder.decodeHex("0xzz"));
        expect(Reason.MALFORMED_RLP, () -> TransactionDecoder.decodeHex("0x123"));
    }

    /** Random corruption of valid transactions never escapes as anything but an InvalidTransactionException. */
    @Test
    void fuzzOnlyInvalidTransactionException() {
        Random rnd = new Random(12345);
        int decoded = 0;
        for (Transaction tx : samples()) {
            for (int i = 0; i < 1000; i++) {
                byte[] raw = tx.encoded();
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    raw[rnd.nextInt(raw.length)] = (byte) rnd.nextInt(256);
                }
                try {
                    Transaction t = TransactionDecoder.decode(raw);
                    decoded++;
                    try {
                        t.sender();
                        t.intrinsicGas();
                        t.hash();
                    } catch (InvalidTransactionException e) {
                        assertEquals(Reason.INVALID_SENDER, e.reason());
                    }
                } catch (InvalidTransactionException expected) {
                    // fine
                }
            }
        }
        assertTrue(decoded > 0, "some corruptions (e.g. in value or data) still decode");
    }

    @Test
    void feeRules() {
        InvalidTransactionException e = expect(Reason.TIP_ABOVE_FEE_CAP,
                () -> Transaction.eip1559(SCROLL).maxPriorityFeePerGas(6).maxFeePerGas(5).gasLimit(21000).to(TO).sign(KEY));
        assertTrue(e.getMessage().startsWith("max priority fee per gas higher than max fee per gas"), e.getMessage());
        byte[] big = new byte[33];
        big[0] = 1;
        byte[] raw = typed(2, Rlp.encodeLong(SCROLL), Rlp.encodeLong(0), Rlp.encodeLong(1), Rlp.encodeBytes(big), Rlp.encodeLong(21000),
                Rlp.encodeBytes(TO.toArray()), Rlp.EMPTY_STRING, Rlp.EMPTY_STRING, Rlp.EMPTY_LIST, Rlp.encodeLong(0), Rlp.encodeLong(1),
                Rlp.encodeLong(1));
        expect(Reason.FEE_OVERFLOW, () -> TransactionDecoder.decode(raw));
    }

    @Test
    void nonceAndGasLimitAreUnsigned64BitsAndANonceOf2To64Minus1IsRejected() {
        Transaction ok = Transaction.eip1559(SCROLL).maxFeePerGas(5).gasLimit(21000).to(TO).sign(KEY);
        java.util.function.Function<BigInteger, byte[]> withNonce = n -> typed(2, Rlp.encodeLong(SCROLL), Rlp.encodeBigInteger(n),
                Rlp.encodeLong(1), Rlp.encodeLong(5), Rlp.encodeLong(21000), Rlp.encodeBytes(TO.toArray()), Rlp.EMPTY_STRING,
                Rlp.EMPTY_STRING, Rlp.EMPTY_LIST, Rlp.encodeLong(ok.yParity()), Rlp.encodeBigInteger(ok.r()), Rlp.encodeBigInteger(ok.s()));
        java.util.function.Function<BigInteger, byte[]> withGas = g -> typed(2, Rlp.encodeLong(SCROLL), Rlp.EMPTY_STRING,
                Rlp.encodeLong(1), Rlp.encodeLong(5), Rlp.encodeBigInteger(g), Rlp.encodeBytes(TO.toArray()), Rlp.EMPTY_STRING,
                Rlp.EMPTY_STRING, Rlp.EMPTY_LIST, Rlp.encodeLong(ok.yParity()), Rlp.encodeBigInteger(ok.r()), Rlp.encodeBigInteger(ok.s()));
        BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
        BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);

        // As Ethereum's TransactionTests: valid on the wire up to 2^64-2 (nonce) and 2^64-1 (gas).
        byte[] highNonce = withNonce.apply(twoTo64.subtract(BigInteger.TWO));
        Transaction n = TransactionDecoder.decode(highNonce);
        assertEquals(twoTo64.subtract(BigInteger.TWO), new BigInteger(Long.toUnsignedString(n.nonce())));
        assertArrayEquals(highNonce, n.encoded());
        byte[] highGas = withGas.apply(twoTo64.subtract(BigInteger.ONE));
        Transaction g = TransactionDecoder.decode(highGas);
        assertEquals(twoTo64.subtract(BigInteger.ONE), new BigInteger(Long.toUnsignedString(g.rawGasLimit())));
        assertEquals(Long.MAX_VALUE, g.gasLimit(), "saturated: above every block gas limit");
        assertEquals(Long.MAX_VALUE, TransactionDecoder.decode(withGas.apply(twoTo63)).gasLimit());

        expect(Reason.NONCE_OVERFLOW, () -> TransactionDecoder.decode(withNonce.apply(twoTo64.subtract(BigInteger.ONE)))); // EIP-2681
        expect(Reason.NONCE_OVERFLOW, () -> TransactionDecoder.decode(withNonce.apply(twoTo64)));
        expect(Reason.GAS_LIMIT_OVERFLOW, () -> TransactionDecoder.decode(withGas.apply(twoTo64)));
    }

    @Test
    void aTransactionWithANonceOf2To63IsNeverIncluded() {
        var spec = org.rollupnode.execution.chain.ChainSpecs.byName("dev");
        var genesis = org.rollupnode.execution.chain.Genesis.of(spec);
        var env = new org.rollupnode.execution.builder.BlockEnv(1, genesis.header().timestamp() + 1, TO, 10_000_000L,
                org.rollupnode.execution.builder.BaseFee.next(genesis.header(), spec.baseFeeOverhead()));
        var builder = new org.rollupnode.execution.builder.BlockBuilder(spec, genesis.header(), genesis.state(), env);
        Transaction t = Transaction.eip1559(spec.chainId()).nonce(Long.MIN_VALUE).maxFeePerGas(BigInteger.valueOf(10_000_000_000L))
                .maxPriorityFeePerGas(BigInteger.ONE).gasLimit(21000).to(TO).value(BigInteger.ONE)
                .sign(org.rollupnode.execution.chain.ChainSpecs.devPrivateKeys().get(0));
        assertEquals(t, TransactionDecoder.decode(t.encoded()), "encodes and decodes as unsigned 2^63");
        var rejected = assertThrows(org.rollupnode.execution.builder.TransactionRejected.class,
                () -> builder.add(t));
        assertTrue(rejected.getMessage().contains("nonce too high: next nonce 0, tx nonce 9223372036854775808"), rejected.getMessage());
    }

    @Test
    void fieldCountsAndShapes() {
        Transaction ok = samples().get(3);
        byte[] sig = Rlp.encodeLong(ok.yParity());
        byte[] r = Rlp.encodeBigInteger(ok.r());
        byte[] s = Rlp.encodeBigInteger(ok.s());
        byte[][] base = {Rlp.encodeLong(SCROLL), Rlp.encodeLong(1), Rlp.encodeLong(1), Rlp.encodeLong(5), Rlp.encodeLong(21000),
            Rlp.encodeBytes(TO.toArray()), Rlp.EMPTY_STRING, Rlp.EMPTY_STRING, Rlp.EMPTY_LIST, sig, r, s};
        byte[][] tooMany = Arrays.copyOf(base, 13);
        tooMany[12] = Rlp.EMPTY_STRING;
        expect(Reason.WRONG_FIELD_COUNT, () -> TransactionDecoder.decode(typed(2, tooMany)));
        expect(Reason.WRONG_FIELD_COUNT, () -> TransactionDecoder.decode(typed(2, Arrays.copyOf(base, 11))));
        // non-canonical integer (leading zero) in the nonce
        byte[][] lz = base.clone();
        lz[1] = Rlp.encodeBytes(new byte[] {0, 1});
        expect(Reason.MALFORMED_RLP, () -> TransactionDecoder.decode(typed(2, lz)));
        // list where the value belongs
        byte[][] listValue = base.clone();
        listValue[6] = Rlp.EMPTY_LIST;
        expect(Reason.MALFORMED_RLP, () -> TransactionDecoder.decode(typed(2, listValue)));
        // 19-byte recipient
        byte[][] shortTo = base.clone();
        shortTo[5] = Rlp.encodeBytes(new byte[19]);
        expect(Reason.INVALID_ADDRESS, () -> TransactionDecoder.decode(typed(2, shortTo)));
        // 31-byte storage key
        byte[][] badKey = base.clone();
        badKey[8] = Rlp.encodeList(Rlp.encodeList(Rlp.encodeBytes(TO.toArray()), Rlp.encodeList(Rlp.encodeBytes(new byte[31]))));
        expect(Reason.INVALID_STORAGE_KEY, () -> TransactionDecoder.decode(typed(2, badKey)));
    }

    @Test
    void eip7702Shape() {
        expect(Reason.EMPTY_AUTHORIZATION_LIST,
                () -> Transaction.eip7702(SCROLL).maxFeePerGas(5).gasLimit(50000).to(TO).authorizationList(List.of()).sign(KEY));
        Authorization a = Authorization.sign(SCROLL, TO, 0, KEY);
        expect(Reason.CREATE_NOT_ALLOWED,
                () -> Transaction.eip7702(SCROLL).maxFeePerGas(5).gasLimit(50000).to(null).authorizationList(List.of(a)).sign(KEY));
    }

    @Test
    void l1MessageShape() {
        Address sender = Address.fromHex("0x7885bcbd5cecef1336b5300fb5186a12ddd8c478");
        byte[] noTo = typed(0x7e, Rlp.encodeLong(1), Rlp.encodeLong(100000), Rlp.EMPTY_STRING, Rlp.EMPTY_STRING, Rlp.EMPTY_STRING,
                Rlp.encodeBytes(sender.toArray()));
        expect(Reason.CREATE_NOT_ALLOWED, () -> TransactionDecoder.decode(noTo));
        byte[] noSender = typed(0x7e, Rlp.encodeLong(1), Rlp.encodeLong(100000), Rlp.encodeBytes(TO.toArray()), Rlp.EMPTY_STRING,
                Rlp.EMPTY_STRING);
        expect(Reason.WRONG_FIELD_COUNT, () -> TransactionDecoder.decode(noSender));
        byte[] shortSender = typed(0x7e, Rlp.encodeLong(1), Rlp.encodeLong(100000), Rlp.encodeBytes(TO.toArray()), Rlp.EMPTY_STRING,
                Rlp.EMPTY_STRING, Rlp.encodeBytes(new byte[19]));
        expect(Reason.INVALID_ADDRESS, () -> TransactionDecoder.decode(shortSender));
        Transaction msg = Transaction.l1Message(1, 100000, TO, BigInteger.ZERO, new byte[0], sender);
        expect(Reason.L1_MESSAGE_NOT_ALLOWED, () -> TransactionDecoder.decodeUserTransaction(msg.encoded()));
        // user transactions pass through decodeUserTransaction
        TransactionDecoder.decodeUserTransaction(samples().get(3).encoded());
    }

    @Test
    void unrecoverableSignatureIsInvalidSender() {
        // r = 5 is in range but no curve point has x = 5 for the chosen parity? Search for an r with no point.
        Transaction.Builder b = Transaction.eip1559(SCROLL).maxFeePerGas(5).gasLimit(21000).to(TO);
        Transaction bad = null;
        for (int x = 1; x < 100 && bad == null; x++) {
            Transaction t = b.withSignature(0, BigInteger.valueOf(x), BigInteger.ONE);
            try {
                t.sender();
            } catch (InvalidTransactionException e) {
                assertEquals(Reason.INVALID_SENDER, e.reason());
                assertEquals(Reason.INVALID_SENDER, assertThrows(InvalidTransactionException.class, t::sender).reason(), "cached failure");
                bad = t;
            }
        }
        assertTrue(bad != null, "some small x is not on secp256k1");
        Transaction finalBad = bad;
        expect(Reason.INVALID_SENDER, () -> finalBad.validateStatic(SCROLL));
    }

    @Test
    void intrinsicGasAndInitcode() {
        expect(Reason.INTRINSIC_GAS_TOO_LOW, () -> Transaction.eip1559(SCROLL).maxFeePerGas(5).gasLimit(20999).to(TO).sign(KEY).validateStatic(SCROLL));
        byte[] initcode = new byte[Transaction.MAX_INITCODE_SIZE + 1];
        expect(Reason.INITCODE_TOO_LARGE,
                () -> Transaction.eip1559(SCROLL).maxFeePerGas(5).gasLimit(10_000_000).data(initcode).sign(KEY).validateStatic(SCROLL));
        Transaction.eip1559(SCROLL).maxFeePerGas(5).gasLimit(10_000_000).data(new byte[Transaction.MAX_INITCODE_SIZE]).sign(KEY)
                .validateStatic(SCROLL);
    }

    static byte[] typed(int type, byte[]... fields) {
        byte[] list = Rlp.encodeList(fields);
        byte[] out = new byte[list.length + 1];
        out[0] = (byte) type;
        System.arraycopy(list, 0, out, 1, list.length);
        return out;
    }
}
