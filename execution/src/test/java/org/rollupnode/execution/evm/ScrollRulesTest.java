package org.rollupnode.execution.evm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.tx.Authorization;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/** Each difference of scroll-rules.md §10 under {@link EvmRules#scrollGalileo()}, contrasted with Cancun where useful. */
class ScrollRulesTest {
    static final long CHAIN_ID = 1337;
    static final BigInteger KEY = ChainSpecs.devPrivateKeys().get(0);
    static final Address SENDER = Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    static final Address CONTRACT = Address.fromHex("0x00000000000000000000000000000000000c0de0");
    static final Address COINBASE = Address.fromHex("0x5300000000000000000000000000000000000005");
    static final Address HISTORY = Address.fromHex("0x0000F90827F1C53a10cb7A02335B175320002935");
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    static final BigInteger BASE_FEE = BigInteger.valueOf(7);

    static BlockContext block(long number) {
        return new BlockContext(COINBASE, number, 1_700_000_000L, 30_000_000, BASE_FEE,
                Hash32.fromHex("0x00000000000000000000000000000000000000000000000000000000000000ff"), CHAIN_ID,
                BigInteger.ONE, n -> Keccak.hash(new byte[] {(byte) n}));
    }

    /** Sender funded with 10 ether; CONTRACT holds {@code code}, 1 wei and the given storage. */
    static StateOverlay state(String code, Map<Hash32, Hash32> storage) {
        StateOverlay o = new StateOverlay(WorldState.empty());
        o.putAccount(SENDER, new Account(0, BigInteger.TEN.multiply(ETHER), MerklePatriciaTrie.EMPTY_ROOT, Account.EMPTY_CODE_HASH));
        if (code != null) {
            byte[] c = Hex.decode(code);
            o.putAccount(CONTRACT, new Account(1, BigInteger.ONE, MerklePatriciaTrie.EMPTY_ROOT, Account.EMPTY_CODE_HASH));
            o.putCode(CONTRACT, c, Keccak.hash(c));
            storage.forEach((k, v) -> o.putStorage(CONTRACT, k, v));
        }
        return new StateOverlay(o.commit());
    }

    static Transaction call(Address to, long gas, BigInteger value, String data) {
        return Transaction.eip1559(CHAIN_ID).nonce(0).maxPriorityFeePerGas(2).maxFeePerGas(20).gasLimit(gas).to(to)
                .value(value).data(Hex.decode(data)).sign(KEY);
    }

    static TransactionResult run(EvmRules rules, StateOverlay s, Transaction tx) throws TransactionInvalidException {
        return new TransactionProcessor(rules).process(s, block(100), tx);
    }

    static Hash32 slot(long n) {
        byte[] w = new byte[32];
        for (int i = 0; i < 8; i++) {
            w[31 - i] = (byte) (n >>> (8 * i));
        }
        return Hash32.wrap(w);
    }

    @Test
    void senderIsTheDevAccount() {
        assertEquals(SENDER, call(CONTRACT, 21_000, BigInteger.ZERO, "0x").sender());
    }

    @Test
    void selfdestructHaltsAsInvalidAndBurnsAllGas() throws Exception {
        String code = "0x33ff"; // CALLER SELFDESTRUCT
        StateOverlay s = state(code, Map.of());
        TransactionResult r = run(EvmRules.scrollGalileo(), s, call(CONTRACT, 100_000, BigInteger.ZERO, "0x"));
        assertFalse(r.success());
        assertEquals(ExceptionalHalt.INVALID_OPCODE, r.halt()); // not in the Galileo opcode set
        assertEquals(100_000, r.gasUsed());
        assertEquals(BigInteger.ONE, s.account(CONTRACT).balance());
        assertTrue(s.account(CONTRACT).hasCode());

        // Cancun: the same code runs, sends the contract's wei to the caller and keeps the account (EIP-6780).
        StateOverlay c = state(code, Map.of());
        TransactionResult rc = run(EvmRules.cancun(), c, call(CONTRACT, 100_000, BigInteger.ZERO, "0x"));
        assertTrue(rc.success());
        assertEquals(BigInteger.ZERO, c.account(CONTRACT).balance());
        assertTrue(c.account(CONTRACT).hasCode());
    }

    @Test
    void blobOpcodesAreInvalid() throws Exception {
        for (String code : List.of("0x5f49", "0x4a")) { // PUSH0 BLOBHASH; BLOBBASEFEE
            TransactionResult r = run(EvmRules.scrollGalileo(), state(code, Map.of()), call(CONTRACT, 60_000, BigInteger.ZERO, "0x"));
            assertEquals(ExceptionalHalt.INVALID_OPCODE, r.halt(), code);
            assertEquals(60_000, r.gasUsed());
            assertTrue(run(EvmRules.cancun(), state(code, Map.of()), call(CONTRACT, 60_000, BigInteger.ZERO, "0x")).success(), code);
        }
    }

    @Test
    void prevrandaoIsZero() throws Exception {
        String code = "0x44600101" + "5f55"; // PREVRANDAO + 1, SSTORE at 0
        StateOverlay s = state(code, Map.of());
        assertTrue(run(EvmRules.scrollGalileo(), s, call(CONTRACT, 100_000, BigInteger.ZERO, "0x")).success());
        assertEquals(slot(1), s.storageAt(CONTRACT, slot(0)));
        StateOverlay c = state(code, Map.of());
        assertTrue(run(EvmRules.cancun(), c, call(CONTRACT, 100_000, BigInteger.ZERO, "0x")).success());
        assertEquals(slot(0x100), c.storageAt(CONTRACT, slot(0)));
    }

    @Test
    void clzCountsLeadingZeros() throws Exception {
        // slot0 = CLZ(1) = 255, slot1 = CLZ(0) = 256, slot2 = CLZ(2^255) = 0 (+1 so it is stored)
        String code = "0x60011e5f55" + "5f1e600155" + "7f8000000000000000000000000000000000000000000000000000000000000000"
                + "1e600101600255";
        StateOverlay s = state(code, Map.of());
        assertTrue(run(EvmRules.scrollGalileo(), s, call(CONTRACT, 200_000, BigInteger.ZERO, "0x")).success());
        assertEquals(slot(255), s.storageAt(CONTRACT, slot(0)));
        assertEquals(slot(256), s.storageAt(CONTRACT, slot(1)));
        assertEquals(slot(1), s.storageAt(CONTRACT, slot(2)));
        TransactionResult c = run(EvmRules.cancun(), state(code, Map.of()), call(CONTRACT, 200_000, BigInteger.ZERO, "0x"));
        assertEquals(ExceptionalHalt.INVALID_OPCODE, c.halt());
    }

    @Test
    void curieOpcodesWork() throws Exception {
        // TSTORE(1, 0x2a); TLOAD(1) -> slot0; MSTORE(0, 0x2a); MCOPY(32, 0, 32); MLOAD(32) -> slot1; BASEFEE -> slot2
        String code = "0x602a60015d" + "60015c5f55" // TSTORE(1, 42); SSTORE(0, TLOAD(1))
                + "602a5f52" // MSTORE(0, 42)
                + "60205f60205e" // MCOPY(dst 32, src 0, len 32)
                + "602051600155" // SSTORE(1, MLOAD(32))
                + "4860025500"; // SSTORE(2, BASEFEE)
        StateOverlay s = state(code, Map.of());
        TransactionResult r = run(EvmRules.scrollGalileo(), s, call(CONTRACT, 200_000, BigInteger.ZERO, "0x"));
        assertTrue(r.success(), String.valueOf(r.halt()));
        assertEquals(slot(0x2a), s.storageAt(CONTRACT, slot(0)));
        assertEquals(slot(0x2a), s.storageAt(CONTRACT, slot(1)));
        assertEquals(slot(7), s.storageAt(CONTRACT, slot(2)));
    }

    @Test
    void wholeFeeAndL1FeeGoToTheCoinbase() throws Exception {
        Address to = Address.fromHex("0x000000000000000000000000000000000000beef");
        BigInteger value = BigInteger.valueOf(1000);
        StateOverlay s = state(null, Map.of());
        TransactionProcessor p = new TransactionProcessor(EvmRules.scrollGalileo(), (tx, st) -> BigInteger.valueOf(12_345));
        TransactionResult r = p.process(s, block(100), call(to, 21_000, value, "0x"));
        assertEquals(21_000, r.gasUsed());
        assertEquals(BigInteger.valueOf(9), r.effectiveGasPrice()); // min(20, 7 + 2)
        assertEquals(BigInteger.valueOf(21_000L * 9 + 12_345), s.balance(COINBASE));
        assertEquals(BigInteger.TEN.multiply(ETHER).subtract(BigInteger.valueOf(21_000L * 9 + 12_345 + 1000)), s.balance(SENDER));
        assertEquals(value, s.balance(to));

        StateOverlay c = state(null, Map.of());
        new TransactionProcessor(EvmRules.cancun()).process(c, block(100), call(to, 21_000, value, "0x"));
        assertEquals(BigInteger.valueOf(21_000L * 2), c.balance(COINBASE)); // only the tip; the base fee is burned
    }

    @Test
    void calldataFloorApplies() throws Exception {
        Address to = Address.fromHex("0x000000000000000000000000000000000000beef");
        String data = "0x" + "ff".repeat(100); // intrinsic 21000 + 1600; floor 21000 + 10 * 400 = 25000
        TransactionResult r = run(EvmRules.scrollGalileo(), state(null, Map.of()), call(to, 30_000, BigInteger.ZERO, data));
        assertEquals(25_000, r.gasUsed());
        TransactionResult c = run(EvmRules.cancun(), state(null, Map.of()), call(to, 30_000, BigInteger.ZERO, data));
        assertEquals(22_600, c.gasUsed());
        TransactionInvalidException e = assertThrows(TransactionInvalidException.class,
                () -> run(EvmRules.scrollGalileo(), state(null, Map.of()), call(to, 24_999, BigInteger.ZERO, data)));
        assertEquals(TransactionInvalidException.Reason.INTRINSIC_GAS_TOO_LOW, e.reason());
    }

    @Test
    void l1MessageHasNoFeeNoRefundAndBumpsTheNonce() throws Exception {
        Address l1Sender = Address.fromHex("0x7885bcbd5cecef1336b5300fb5186a12ddd8c478");
        // PUSH0 PUSH0 SSTORE: clears slot 0 (1 -> 0): 2 + 2 + 2100 + 2900 = 5004 gas, 4800 refund for a user tx
        Map<Hash32, Hash32> storage = Map.of(slot(0), slot(1));
        StateOverlay s = state("0x5f5f55", storage);
        Transaction msg = Transaction.l1Message(7, 100_000, CONTRACT, BigInteger.ZERO, new byte[0], l1Sender);
        TransactionResult r = run(EvmRules.scrollGalileo(), s, msg);
        assertTrue(r.success());
        assertEquals(26_004, r.gasUsed()); // no refund
        assertEquals(BigInteger.ZERO, r.effectiveGasPrice());
        assertEquals(1, s.account(l1Sender).nonce());
        assertEquals(BigInteger.ZERO, s.balance(COINBASE));
        assertEquals(Hash32.ZERO, s.storageAt(CONTRACT, slot(0)));

        // The same call as a user transaction gets the refund: 26004 - 4800.
        StateOverlay u = state("0x5f5f55", storage);
        assertEquals(21_204, run(EvmRules.scrollGalileo(), u, call(CONTRACT, 100_000, BigInteger.ZERO, "0x")).gasUsed());
    }

    @Test
    void l1MessageTheSenderCannotAffordIsIncludedAndFails() throws Exception {
        Address l1Sender = Address.fromHex("0x7885bcbd5cecef1336b5300fb5186a12ddd8c478");
        StateOverlay s = state(null, Map.of());
        Address to = Address.fromHex("0x000000000000000000000000000000000000beef");
        Transaction msg = Transaction.l1Message(8, 50_000, to, ETHER, new byte[0], l1Sender);
        TransactionResult r = run(EvmRules.scrollGalileo(), s, msg);
        assertFalse(r.success());
        assertEquals(21_000, r.gasUsed());
        assertEquals(1, s.account(l1Sender).nonce());
        assertEquals(BigInteger.ZERO, s.balance(to));
    }

    @Test
    void l1MessagesAreNotEthereumTransactions() {
        Transaction msg = Transaction.l1Message(0, 50_000, CONTRACT, BigInteger.ZERO, new byte[0], SENDER);
        TransactionInvalidException e = assertThrows(TransactionInvalidException.class,
                () -> run(EvmRules.cancun(), state(null, Map.of()), msg));
        assertEquals(TransactionInvalidException.Reason.TYPE_NOT_SUPPORTED, e.reason());
    }

    @Test
    void blockhashReadsTheEip2935RingBuffer() throws Exception {
        Hash32 stored = Hash32.fromHex("0x1111111111111111111111111111111111111111111111111111111111111111");
        StateOverlay s = state("0x6063405f55" + "600140600155", Map.of()); // SSTORE(0, BLOCKHASH(99)); SSTORE(1, BLOCKHASH(1))
        StateOverlay base = new StateOverlay(WorldState.empty());
        // history storage: slot 99 % 8191 = 99 holds the hash; block 1 is 99 blocks back but unset
        s.putAccount(HISTORY, new Account(1, BigInteger.ZERO, MerklePatriciaTrie.EMPTY_ROOT, Account.EMPTY_CODE_HASH));
        s.putStorage(HISTORY, slot(99), stored);
        TransactionResult r = run(EvmRules.scrollGalileo(), s, call(CONTRACT, 100_000, BigInteger.ZERO, "0x"));
        assertTrue(r.success(), String.valueOf(r.halt()));
        assertEquals(stored, s.storageAt(CONTRACT, slot(0)));
        assertEquals(Hash32.ZERO, s.storageAt(CONTRACT, slot(1)));
        assertNull(base.accountOrNull(HISTORY));
    }

    @Test
    void blockhashOutsideTheWindowIsZero() throws Exception {
        // at block 1000: BLOCKHASH(1000) (current) and BLOCKHASH(743) (257 back) are 0 even with storage set
        StateOverlay s = state("0x6103e8405f55" + "6102e740600155", Map.of());
        s.putAccount(HISTORY, new Account(1, BigInteger.ZERO, MerklePatriciaTrie.EMPTY_ROOT, Account.EMPTY_CODE_HASH));
        s.putStorage(HISTORY, slot(1000), slot(5));
        s.putStorage(HISTORY, slot(743), slot(6));
        TransactionResult r = new TransactionProcessor(EvmRules.scrollGalileo()).process(s, block(1000),
                call(CONTRACT, 100_000, BigInteger.ZERO, "0x"));
        assertTrue(r.success());
        assertEquals(Hash32.ZERO, s.storageAt(CONTRACT, slot(0)));
        assertEquals(Hash32.ZERO, s.storageAt(CONTRACT, slot(1)));
    }

    @Test
    void disabledPrecompilesFailAndBurnTheGasGivenToThem() throws Exception {
        // slot0 = CALL(gas 10000, 0x03), slot1 = CALL(gas 10000, 0x09), slot2 = CALL(gas 10000, 0x0a: no precompile)
        String code = "0x5f5f5f5f5f6003612710f15f55" + "5f5f5f5f5f6009612710f1600155" + "5f5f5f5f5f600a612710f1600255";
        StateOverlay s = state(code, Map.of());
        TransactionResult r = run(EvmRules.scrollGalileo(), s, call(CONTRACT, 200_000, BigInteger.ZERO, "0x"));
        assertTrue(r.success());
        assertEquals(Hash32.ZERO, s.storageAt(CONTRACT, slot(0)));
        assertEquals(Hash32.ZERO, s.storageAt(CONTRACT, slot(1)));
        assertEquals(slot(1), s.storageAt(CONTRACT, slot(2)));
        // 21000 + 3 * (5 PUSH0 + PUSH1 + PUSH2 = 16); CALL 0x03 and 0x09: warm (100) + 10000 burnt each;
        // CALL 0x0a: cold (2600), its 10000 come back; slot keys PUSH0, PUSH1, PUSH1 (8);
        // SSTORE of 0 into cold empty slots 0 and 1 (2100 + 100 each); SSTORE of 1 into slot 2 (2100 + 20000)
        long expected = 21_000 + 3 * 16 + (100 + 10_000) * 2 + 2_600 + 8 + 2_200 * 2 + 22_100;
        assertEquals(expected, r.gasUsed());
    }

    @Test
    void eip7702DelegationRunsTheDelegateCode() throws Exception {
        StateOverlay s = state("0x602a5f5500", Map.of()); // delegate: SSTORE(0, 42)
        BigInteger authKey = ChainSpecs.devPrivateKeys().get(1);
        Address authority = Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        Authorization auth = Authorization.sign(CHAIN_ID, CONTRACT, 0, authKey);
        Transaction tx = Transaction.eip7702(CHAIN_ID).nonce(0).maxPriorityFeePerGas(2).maxFeePerGas(20).gasLimit(100_000)
                .to(authority).value(BigInteger.ZERO).data(new byte[0]).authorizationList(List.of(auth)).sign(KEY);
        TransactionResult r = run(EvmRules.scrollGalileo(), s, tx);
        assertTrue(r.success(), String.valueOf(r.halt()));
        byte[] expectedCode = Hex.decode("0xef0100" + CONTRACT.toHex().substring(2));
        assertArrayEquals(expectedCode, s.code(authority));
        assertEquals(1, s.account(authority).nonce());
        assertEquals(slot(42), s.storageAt(authority, slot(0)));
        assertEquals(Hash32.ZERO, s.storageAt(CONTRACT, slot(0)));
    }
}
