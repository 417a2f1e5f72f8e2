package org.rollupnode.execution.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.web3j.crypto.AccessListObject;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/** Build, sign, encode, decode; independent checks against web3j and known vectors. */
class TransactionCodecTest {
    static final BigInteger KEY = new BigInteger("4646464646464646464646464646464646464646464646464646464646464646", 16);
    static final BigInteger KEY2 = new BigInteger("8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f", 16);
    static final Address TO = Address.fromHex("0x3535353535353535353535353535353535353535");
    static final long SCROLL = 534352;
    static final byte[] DATA = Hex.decode("0xa9059cbb000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa960450000000000000000000000000000000000000000000000000de0b6b3a7640000");

    static Credentials creds(BigInteger key) {
        return Credentials.create(ECKeyPair.create(key));
    }

    static Address addr(BigInteger key) {
        return Address.fromHex(creds(key).getAddress());
    }

    // ---- known vectors ----

    /** The worked example of EIP-155 (chain id 1, key 0x4646…46). */
    @Test
    void eip155SpecExample() {
        Transaction tx = Transaction.legacy(1L).nonce(9).gasPrice(20_000_000_000L).gasLimit(21000).to(TO)
                .value(new BigInteger("1000000000000000000")).sign(KEY);
        assertEquals("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
                Hex.encode(tx.encoded()));
        assertEquals("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.encode(tx.signingHash()));
        assertEquals(Address.fromHex("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"), tx.sender());
        assertEquals(1L, tx.chainId());
        assertEquals(BigInteger.valueOf(37), tx.v());
        assertEquals(0, tx.yParity());
    }

    /** Scroll mainnet L1 message 0xace7103c… (bytes from scroll-reth's l1_message.rs test, hash from scrollscan). */
    static final String L1_MSG = "0x7ef9015a830e7991831e848094781e90f1c8fc4611c9b7497c3b47f99ef6969cbc80b901248ef1332e000000000000000000000000c186fa914353c44b2e33ebe05f21846f1048beda0000000000000000000000003bad7ad0728f9917d1bf08af5782dcbd516cdd96000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e799100000000000000000000000000000000000000000000000000000000000000a00000000000000000000000000000000000000000000000000000000000000044493a4f8411b3f3d662006b9bf68884e71f1fc0f8ea04e4cb188354738202c3e34a473b93000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000947885bcbd5cecef1336b5300fb5186a12ddd8c478";

    @Test
    void scrollMainnetL1Message() {
        Transaction tx = TransactionDecoder.decodeHex(L1_MSG);
        assertEquals(Hash32.fromHex("0xace7103cc22a372c81cda04e15442a721cd3d5d64eda2e1578ba310d91597d97"), tx.hash());
        assertEquals(0x7E, tx.type());
        assertTrue(tx.isL1Message());
        assertEquals(948625, tx.queueIndex());
        assertEquals(0, tx.nonce());
        assertNull(tx.chainId());
        assertEquals(2_000_000, tx.gasLimit());
        assertEquals(Address.fromHex("0x781e90f1c8fc4611c9b7497c3b47f99ef6969cbc"), tx.to());
        assertEquals(BigInteger.ZERO, tx.value());
        assertEquals(292, tx.dataLength());
        assertEquals(Address.fromHex("0x7885bcbd5cecef1336b5300fb5186a12ddd8c478"), tx.sender());
        assertEquals(BigInteger.ZERO, tx.effectiveGasPrice(BigInteger.valueOf(1_000_000)));
        assertEquals(BigInteger.ZERO, tx.r());
        assertEquals(BigInteger.ZERO, tx.s());
        assertEquals(BigInteger.ZERO, tx.maxFeePerGas());
        // intrinsic gas: plain call with the usual calldata price
        int zeros = 0;
        for (byte b : tx.unsafeData()) {
            zeros += b == 0 ? 1 : 0;
        }
        assertEquals(21000 + 4L * zeros + 16L * (292 - zeros), tx.intrinsicGas());
        // the factory re-creates the exact bytes
        Transaction built = Transaction.l1Message(948625, 2_000_000, tx.to(), BigInteger.ZERO, tx.data(), tx.sender());
        assertArrayEquals(tx.encoded(), built.encoded());
        assertEquals(tx.hash(), built.hash());
        // no EIP-7623 floor for L1 messages, and no chain id check
        byte[] ones = new byte[200];
        java.util.Arrays.fill(ones, (byte) 1);
        Transaction lowGas = Transaction.l1Message(1, 25_000, TO, BigInteger.ONE, ones, TO);
        assertEquals(24_200, lowGas.intrinsicGas());
        assertTrue(lowGas.floorDataGas() > lowGas.gasLimit());
        lowGas.validateStatic(SCROLL);
    }

    @Test
    void l1MessageHashIsKeccakOfTypeAndRlp() {
        Transaction tx = Transaction.l1Message(7, 100_000, TO, BigInteger.TEN, new byte[] {1, 2, 3}, Address.fromHex("0x1111000000000000000000000000000000001111"));
        // 52-byte payload: list header 0xc0 + 0x34
        String expected = "0x7e" + "f4" + "07" + "830186a0" + "94" + "3535353535353535353535353535353535353535" + "0a" + "83010203"
                + "94" + "1111000000000000000000000000000000001111";
        assertEquals(expected, Hex.encode(tx.encoded()));
        assertEquals(Keccak.hash(Hex.decode(expected)), tx.hash());
    }

    // ---- round trips against web3j ----

    @Test
    void legacyEip155MatchesWeb3j() {
        for (Address to : new Address[] {TO, null}) {
            Transaction tx = Transaction.legacy(SCROLL).nonce(42).gasPrice(1_000_000_000L).gasLimit(120_000).to(to)
                    .value(12345).data(DATA).sign(KEY);
            RawTransaction raw = RawTransaction.createTransaction(BigInteger.valueOf(42), BigInteger.valueOf(1_000_000_000L),
                    BigInteger.valueOf(120_000), to == null ? "" : to.toHex(), BigInteger.valueOf(12345), Hex.encode(DATA));
            byte[] web3 = TransactionEncoder.signMessage(raw, SCROLL, creds(KEY));
            assertArrayEquals(web3, tx.encoded(), "legacy EIP-155 to=" + to);
            roundTrip(tx, KEY);
            assertEquals(SCROLL, tx.chainId());
        }
    }

    @Test
    void legacyUnprotectedMatchesWeb3j() {
        Transaction tx = Transaction.legacy(null).nonce(0).gasPrice(7).gasLimit(21000).to(TO).value(1).sign(KEY2);
        RawTransaction raw = RawTransaction.createEtherTransaction(BigInteger.ZERO, BigInteger.valueOf(7), BigInteger.valueOf(21000), TO.toHex(), BigInteger.ONE);
        assertArrayEquals(TransactionEncoder.signMessage(raw, creds(KEY2)), tx.encoded());
        assertNull(tx.chainId());
        assertTrue(tx.v().intValue() == 27 || tx.v().intValue() == 28);
        roundTrip(tx, KEY2);
    }

    @Test
    void accessListMatchesWeb3j() {
        Hash32 k1 = Hash32.fromHex("0x0000000000000000000000000000000000000000000000000000000000000001");
        Hash32 k2 = Hash32.fromHex("0x00000000000000000000000000000000000000000000000000000000000000ff");
        List<AccessListEntry> al = List.of(new AccessListEntry(TO, List.of(k1, k2)), new AccessListEntry(addr(KEY2), List.of()));
        Transaction tx = Transaction.accessList(SCROLL).nonce(3).gasPrice(2_000_000_000L).gasLimit(90_000).to(TO).value(0)
                .data(DATA).accessList(al).sign(KEY);
        List<AccessListObject> w3al = List.of(new AccessListObject(TO.toHex(), List.of(k1.toHex(), k2.toHex())),
                new AccessListObject(addr(KEY2).toHex(), List.of()));
        RawTransaction raw = RawTransaction.createTransaction(SCROLL, BigInteger.valueOf(3), BigInteger.valueOf(2_000_000_000L),
                BigInteger.valueOf(90_000), TO.toHex(), BigInteger.ZERO, Hex.encode(DATA), w3al);
        assertArrayEquals(TransactionEncoder.signMessage(raw, creds(KEY)), tx.encoded());
        roundTrip(tx, KEY);
        assertEquals(21000 + 2 * 2400 + 2 * 1900 + calldataGas(DATA), tx.intrinsicGas());
        assertEquals(al, tx.accessList());
    }

    @Test
    void eip1559MatchesWeb3j() {
        for (Address to : new Address[] {TO, null}) {
            Transaction tx = Transaction.eip1559(SCROLL).nonce(1_000_000).maxPriorityFeePerGas(1_000).maxFeePerGas(5_000_000_000L)
                    .gasLimit(300_000).to(to).value(new BigInteger("123456789012345678901234567890")).data(DATA).sign(KEY2);
            RawTransaction raw = RawTransaction.createTransaction(SCROLL, BigInteger.valueOf(1_000_000), BigInteger.valueOf(300_000),
                    to == null ? "" : to.toHex(), new BigInteger("123456789012345678901234567890"), Hex.encode(DATA),
                    BigInteger.valueOf(1_000), BigInteger.valueOf(5_000_000_000L));
            assertArrayEquals(TransactionEncoder.signMessage(raw, creds(KEY2)), tx.encoded(), "1559 to=" + to);
            roundTrip(tx, KEY2);
        }
    }

    /** web3j decodes what we sign and finds the same sender. */
    @Test
    void web3jDecodesOurBytes() throws Exception {
        Transaction tx = Transaction.eip1559(SCROLL).nonce(5).maxPriorityFeePerGas(1).maxFeePerGas(2).gasLimit(21000).to(TO).sign(KEY);
        SignedRawTransaction w = (SignedRawTransaction) org.web3j.crypto.TransactionDecoder.decode(Hex.encode(tx.encoded()));
        assertEquals(creds(KEY).getAddress(), w.getFrom());
    }

    static void roundTrip(Transaction tx, BigInteger key) {
        Transaction back = TransactionDecoder.decode(tx.encoded());
        assertEquals(tx.hash(), back.hash());
        assertEquals(Keccak.hash(tx.encoded()), back.hash());
        assertEquals(addr(key), back.sender());
        assertEquals(addr(key), tx.sender());
        assertEquals(tx.type(), back.type());
        assertEquals(tx.nonce(), back.nonce());
        assertEquals(tx.to(), back.to());
        assertEquals(tx.value(), back.value());
        assertArrayEquals(tx.data(), back.data());
        assertEquals(tx, back);
        assertTrue(back.s().compareTo(Secp256k1.HALF_N) <= 0, "low s");
        // sign twice: RFC 6979 is deterministic
        assertArrayEquals(tx.encoded(), TransactionFixturesTest.rebuild(back));
    }

    // ---- EIP-7702 ----

    @Test
    void eip7702AuthorityRecovery() {
        Address delegate = Address.fromHex("0x00000000000000000000000000000000000000de");
        Authorization a0 = Authorization.sign(SCROLL, delegate, 0, KEY2);
        Authorization a1 = Authorization.sign(0, delegate, 7, KEY);
        assertEquals(addr(KEY2), a0.authority());
        assertEquals(addr(KEY), a1.authority());

        // Independent check of the signing hash and recovery with web3j's RLP encoder and ecrecover.
        byte[] list = RlpEncoder.encode(new RlpList(RlpString.create(BigInteger.valueOf(SCROLL)), RlpString.create(delegate.toArray()),
                RlpString.create(BigInteger.ZERO)));
        byte[] msg = new byte[list.length + 1];
        msg[0] = 0x05;
        System.arraycopy(list, 0, msg, 1, list.length);
        byte[] h = org.web3j.crypto.Hash.sha3(msg);
        assertArrayEquals(h, a0.signingHash());
        Sign.SignatureData sd = new Sign.SignatureData((byte) (27 + a0.yParity()), Secp256k1.unsigned32(a0.r()), Secp256k1.unsigned32(a0.s()));
        BigInteger pub = assertDoesNotThrowSig(h, sd);
        assertEquals(addr(KEY2), Address.fromHex("0x" + Keys.getAddress(pub)));

        Transaction tx = Transaction.eip7702(SCROLL).nonce(11).maxPriorityFeePerGas(100).maxFeePerGas(1_000_000_000L).gasLimit(200_000)
                .to(addr(KEY2)).data(new byte[] {0, 1}).authorizationList(List.of(a0, a1)).sign(KEY);
        assertEquals(0x04, tx.encoded()[0]);
        Transaction back = TransactionDecoder.decode(tx.encoded());
        assertEquals(addr(KEY), back.sender());
        assertEquals(List.of(a0, a1), back.authorizationList());
        assertEquals(addr(KEY2), back.authorizationList().get(0).authority());
        assertEquals(21000 + 4 + 16 + 2 * 25_000, back.intrinsicGas());
        assertEquals(tx.hash(), Keccak.hash(tx.encoded()));

        // Independent encoding of the whole signed tx with web3j's RLP.
        List<RlpType> auths = new ArrayList<>();
        for (Authorization a : List.of(a0, a1)) {
            auths.add(new RlpList(RlpString.create(a.chainId()), RlpString.create(a.address().toArray()), RlpString.create(BigInteger.valueOf(a.nonce())),
                    RlpString.create(BigInteger.valueOf(a.yParity())), RlpString.create(a.r()), RlpString.create(a.s())));
        }
        List<RlpType> fields = new ArrayList<>(List.of(RlpString.create(BigInteger.valueOf(SCROLL)), RlpString.create(BigInteger.valueOf(11)),
                RlpString.create(BigInteger.valueOf(100)), RlpString.create(BigInteger.valueOf(1_000_000_000L)), RlpString.create(BigInteger.valueOf(200_000)),
                RlpString.create(addr(KEY2).toArray()), RlpString.create(BigInteger.ZERO), RlpString.create(new byte[] {0, 1}), new RlpList(),
                new RlpList(auths)));
        byte[] unsigned = RlpEncoder.encode(new RlpList(fields));
        byte[] signingPayload = new byte[unsigned.length + 1];
        signingPayload[0] = 4;
        System.arraycopy(unsigned, 0, signingPayload, 1, unsigned.length);
        assertArrayEquals(org.web3j.crypto.Hash.sha3(signingPayload), tx.signingHash());
        fields.add(RlpString.create(BigInteger.valueOf(tx.yParity())));
        fields.add(RlpString.create(tx.r()));
        fields.add(RlpString.create(tx.s()));
        byte[] signed = RlpEncoder.encode(new RlpList(fields));
        byte[] full = new byte[signed.length + 1];
        full[0] = 4;
        System.arraycopy(signed, 0, full, 1, signed.length);
        assertArrayEquals(full, tx.encoded());
    }

    static long calldataGas(byte[] data) {
        long g = 0;
        for (byte b : data) {
            g += b == 0 ? 4 : 16;
        }
        return g;
    }

    private static BigInteger assertDoesNotThrowSig(byte[] hash, Sign.SignatureData sd) {
        try {
            return Sign.signedMessageHashToKey(hash, sd);
        } catch (java.security.SignatureException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void invalidAuthorizationsRecoverNull() {
        Address delegate = Address.fromHex("0x00000000000000000000000000000000000000de");
        Authorization good = Authorization.sign(SCROLL, delegate, 1, KEY);
        assertEquals(addr(KEY), good.authority());
        BigInteger highS = Secp256k1.N.subtract(good.s());
        assertNull(new Authorization(good.chainId(), delegate, 1, 1 - good.yParity(), good.r(), highS).authority(), "high s");
        assertNull(new Authorization(good.chainId(), delegate, 1, 2, good.r(), good.s()).authority(), "yParity 2");
        assertNull(new Authorization(good.chainId(), delegate, 1, good.yParity(), BigInteger.ZERO, good.s()).authority(), "r = 0");
        assertNull(new Authorization(good.chainId(), delegate, 1, good.yParity(), Secp256k1.N, good.s()).authority(), "r = n");
        Address other = new Authorization(good.chainId(), delegate, 2, good.yParity(), good.r(), good.s()).authority();
        assertNotEquals(addr(KEY), other, "a changed nonce changes the signer");
        // an invalid tuple does not invalidate the transaction: it decodes, and the tuple reports null
        Authorization bad = new Authorization(good.chainId(), delegate, -1L, 2, good.r(), good.s());
        assertTrue(bad.nonceIsMax());
        Transaction tx = Transaction.eip7702(SCROLL).maxFeePerGas(1).gasLimit(100_000).to(TO).authorizationList(List.of(bad)).sign(KEY);
        Authorization decoded = TransactionDecoder.decode(tx.encoded()).authorizationList().get(0);
        assertEquals(-1L, decoded.nonce());
        assertNull(decoded.authority());
    }

    // ---- fees and gas ----

    @Test
    void effectiveGasPrice() {
        Transaction d = Transaction.eip1559(SCROLL).maxPriorityFeePerGas(10).maxFeePerGas(100).gasLimit(21000).to(TO).sign(KEY);
        assertEquals(BigInteger.valueOf(60), d.effectiveGasPrice(BigInteger.valueOf(50)));
        assertEquals(BigInteger.valueOf(100), d.effectiveGasPrice(BigInteger.valueOf(95)));
        assertEquals(BigInteger.valueOf(5), d.effectiveTip(BigInteger.valueOf(95)));
        assertEquals(BigInteger.valueOf(10), d.effectiveTip(BigInteger.valueOf(50)));
        Transaction l = Transaction.legacy(SCROLL).gasPrice(77).gasLimit(21000).to(TO).sign(KEY);
        assertEquals(BigInteger.valueOf(77), l.effectiveGasPrice(BigInteger.valueOf(50)));
        assertEquals(BigInteger.valueOf(77), l.maxFeePerGas());
        assertEquals(BigInteger.valueOf(77), l.maxPriorityFeePerGas());
    }

    @Test
    void intrinsicAndFloorGas() {
        byte[] data = new byte[100];
        data[0] = 1;
        data[99] = 2; // 98 zero, 2 non-zero
        Transaction call = Transaction.eip1559(SCROLL).maxFeePerGas(1).gasLimit(30_000).to(TO).data(data).sign(KEY);
        assertEquals(21000 + 98 * 4 + 2 * 16, call.intrinsicGas());
        assertEquals(21000 + 10 * (98 + 4 * 2), call.floorDataGas());
        byte[] initcode = new byte[65]; // 3 words
        initcode[5] = 7;
        Transaction create = Transaction.eip1559(SCROLL).maxFeePerGas(1).gasLimit(100_000).data(initcode).sign(KEY);
        assertTrue(create.isContractCreation());
        assertEquals(53000 + 64 * 4 + 16 + 2 * 3, create.intrinsicGas());
        // EIP-7623 floor enforced by validateStatic(chainId) (Scroll since Feynman) and off on request
        byte[] heavy = new byte[1000];
        java.util.Arrays.fill(heavy, (byte) 1);
        Transaction floorViolator = Transaction.eip1559(SCROLL).maxFeePerGas(1).gasLimit(40_000).to(TO).data(heavy).sign(KEY);
        assertEquals(37_000, floorViolator.intrinsicGas());
        assertEquals(61_000, floorViolator.floorDataGas());
        floorViolator.validateStatic(SCROLL, false);
        InvalidTransactionException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidTransactionException.class,
                () -> floorViolator.validateStatic(SCROLL));
        assertEquals(InvalidTransactionException.Reason.INTRINSIC_GAS_TOO_LOW, e.reason());
    }

    @Test
    void validateStaticChecksChainId() {
        Transaction tx = Transaction.eip1559(1).maxFeePerGas(1).gasLimit(21000).to(TO).sign(KEY);
        tx.validateStatic(1);
        InvalidTransactionException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidTransactionException.class,
                () -> tx.validateStatic(SCROLL));
        assertEquals(InvalidTransactionException.Reason.WRONG_CHAIN_ID, e.reason());
        // an unprotected legacy tx has no chain id and passes
        Transaction.legacy(null).gasPrice(1).gasLimit(21000).to(TO).sign(KEY).validateStatic(SCROLL);
    }

    @Test
    void senderIsCachedAndHashIsStable() {
        Transaction tx = Transaction.eip1559(SCROLL).maxFeePerGas(1).gasLimit(21000).to(TO).sign(KEY);
        Transaction d = TransactionDecoder.decode(tx.encoded());
        assertSame(d.sender(), d.sender());
        assertSame(d.hash(), d.hash());
        byte[] copy = d.encoded();
        copy[copy.length - 1] ^= 1;
        assertEquals(tx.hash(), d.hash(), "encoded() returns a copy");
        assertFalse(d.isL1Message());
        assertEquals(-1, d.queueIndex());
    }
}
