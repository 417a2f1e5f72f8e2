package org.rollupnode.execution.evm;

import java.util.BitSet;
import org.rollupnode.execution.evm.gas.GasSchedule;

/**
 * A fork's EVM rules as data: which opcodes exist, the gas schedule, and the EIP switches the
 * interpreter and transaction processor consult. Ethereum Cancun is kept for the official state
 * fixtures; Scroll's forks are Shanghai plus the features Scroll switched on one by one
 * (scroll-rules.md §1-§2, §10).
 *
 * @param enabledOpcodes      opcodes that execute; any other byte halts as an invalid opcode
 * @param selfdestruct        how SELFDESTRUCT behaves when enabled (Scroll disables it)
 * @param zeroPrevRandao      DIFFICULTY/PREVRANDAO pushes 0 (Scroll)
 * @param blockHashSource     where BLOCKHASH reads from
 * @param warmCoinbase        EIP-3651
 * @param eip7702             set-code transactions and delegated code
 * @param eip7623             calldata floor price
 * @param blobTransactions    EIP-4844 type-3 transactions are valid
 * @param burnBaseFee         Ethereum burns the base fee; Scroll pays it to the coinbase
 * @param l1Messages          Scroll L1 message transactions (0x7E) are valid
 * @param precompiles         which precompile set {@code Precompiles.forRules} returns
 */
public record EvmRules(
        String name,
        BitSet enabledOpcodes,
        GasSchedule gas,
        int maxCodeSize,
        int maxInitcodeSize,
        SelfDestruct selfdestruct,
        boolean zeroPrevRandao,
        BlockHashSource blockHashSource,
        boolean warmCoinbase,
        boolean eip7702,
        boolean eip7623,
        boolean blobTransactions,
        boolean burnBaseFee,
        boolean l1Messages,
        PrecompileSet precompiles) {

    public enum SelfDestruct {
        /** EIP-6780: only an account created in the same transaction is deleted. */
        EIP6780,
        /** Not activated: halts like INVALID. */
        DISABLED
    }

    public enum BlockHashSource {
        /** Hashes supplied by the block context (state tests, Ethereum). */
        CONTEXT,
        /** EIP-2935 history contract storage, slot n % 8191 (Scroll since Feynman). */
        HISTORY_STORAGE
    }

    public enum PrecompileSet {
        /** 0x01-0x0a as on Ethereum Cancun. */
        CANCUN,
        /** 0x01-0x09 (0x03 and 0x09 always fail), Osaka modexp, unlimited pairing, 0x100 P256VERIFY at 6900 gas. */
        SCROLL_GALILEO
    }

    public EvmRules {
        enabledOpcodes = (BitSet) enabledOpcodes.clone();
    }

    @Override
    public BitSet enabledOpcodes() {
        return (BitSet) enabledOpcodes.clone();
    }

    public boolean opcodeEnabled(int opcode) {
        return enabledOpcodes.get(opcode);
    }

    /** Frontier through Shanghai opcodes (including PUSH0, BASEFEE and SELFDESTRUCT). */
    private static BitSet shanghaiOpcodes() {
        BitSet b = new BitSet(256);
        b.set(0x00, 0x0c); // STOP..SIGNEXTEND
        b.set(0x10, 0x1e); // LT..SAR
        b.set(0x20); // KECCAK256
        b.set(0x30, 0x40); // ADDRESS..EXTCODEHASH
        b.set(0x40, 0x49); // BLOCKHASH..BASEFEE
        b.set(0x50, 0x5c); // POP..JUMPDEST
        b.set(0x5f, 0xa5); // PUSH0..PUSH32, DUP, SWAP, LOG0..LOG4
        b.set(0xf0, 0xf6); // CREATE, CALL, CALLCODE, RETURN, DELEGATECALL, CREATE2
        b.set(0xfa); // STATICCALL
        b.set(0xfd); // REVERT
        b.set(0xff); // SELFDESTRUCT
        return b;
    }

    /** Ethereum Cancun: Shanghai + TLOAD/TSTORE, MCOPY, BLOBHASH, BLOBBASEFEE, EIP-6780. */
    public static EvmRules cancun() {
        BitSet ops = shanghaiOpcodes();
        ops.set(0x49); // BLOBHASH
        ops.set(0x4a); // BLOBBASEFEE
        ops.set(0x5c, 0x5f); // TLOAD, TSTORE, MCOPY
        return new EvmRules("Cancun", ops, GasSchedule.london(), 24_576, 49_152, SelfDestruct.EIP6780, false,
                BlockHashSource.CONTEXT, true, false, false, true, true, false, PrecompileSet.CANCUN);
    }

    /**
     * Scroll Galileo (current mainnet spec, also GalileoV2): Shanghai + TLOAD/TSTORE, MCOPY, BASEFEE,
     * CLZ; SELFDESTRUCT, BLOBHASH and BLOBBASEFEE invalid; PREVRANDAO 0; EIP-2935 BLOCKHASH;
     * EIP-7702 and EIP-7623 on; no blob transactions; base fee paid to the coinbase.
     */
    public static EvmRules scrollGalileo() {
        BitSet ops = shanghaiOpcodes();
        ops.set(0x5c, 0x5f); // TLOAD, TSTORE, MCOPY
        ops.set(0x1e); // CLZ (EIP-7939)
        ops.clear(0xff); // SELFDESTRUCT not activated
        return new EvmRules("ScrollGalileo", ops, GasSchedule.london(), 24_576, 49_152, SelfDestruct.DISABLED, true,
                BlockHashSource.HISTORY_STORAGE, true, true, true, false, false, true, PrecompileSet.SCROLL_GALILEO);
    }
}
