package org.rollupnode.execution.evm;

import java.math.BigInteger;
import java.util.function.LongFunction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * What the block exposes to the EVM (COINBASE, NUMBER, TIMESTAMP, GASLIMIT, BASEFEE, CHAINID,
 * PREVRANDAO, BLOBBASEFEE, BLOCKHASH under {@link EvmRules.BlockHashSource#CONTEXT}).
 *
 * @param blockHashes hash of block n for n in [number-256, number); may return null for unknown
 */
public record BlockContext(Address coinbase, long number, long timestamp, long gasLimit, BigInteger baseFee,
                           Hash32 prevRandao, long chainId, BigInteger blobBaseFee, LongFunction<Hash32> blockHashes) {

    public BlockContext {
        baseFee = baseFee == null ? BigInteger.ZERO : baseFee;
        prevRandao = prevRandao == null ? Hash32.ZERO : prevRandao;
        blobBaseFee = blobBaseFee == null ? BigInteger.ONE : blobBaseFee;
        blockHashes = blockHashes == null ? n -> null : blockHashes;
    }
}
