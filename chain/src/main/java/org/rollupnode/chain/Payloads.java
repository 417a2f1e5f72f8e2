package org.rollupnode.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.block.Bloom;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.BlockPayload;

/** Conversions between built blocks and the {@link BlockPayload} records of the sequencer stream. */
public final class Payloads {
    private Payloads() {}

    public static BlockPayload toPayload(BuiltBlock block, long l1MessagesIncluded, long nextL1QueueIndex,
                                         String sequencerId, long builtAtMillis, long buildMillis) {
        BlockHeader h = block.header();
        List<String> txs = new ArrayList<>(block.transactions().size());
        for (ExecutedTransaction e : block.transactions()) {
            txs.add(Hex.encode(e.transaction().encoded()));
        }
        return new BlockPayload(h.number(), h.hash().toHex(), h.parentHash().toHex(), h.timestamp(), h.coinbase().toHex(),
                h.baseFeePerGas().toString(), h.gasLimit(), h.gasUsed(), h.stateRoot().toHex(), h.transactionsRoot().toHex(),
                h.receiptsRoot().toHex(), Hex.encode(h.logsBloom().toArray()), Hex.encode(h.extraData()),
                h.difficulty().toString(), h.mixHash().toHex(), txs, l1MessagesIncluded, nextL1QueueIndex, sequencerId,
                builtAtMillis, buildMillis);
    }

    /** The header a payload claims. Its hash must equal {@code payload.hash()}. */
    public static BlockHeader header(BlockPayload p) {
        return BlockHeader.builder()
                .parentHash(Hash32.fromHex(p.parentHash()))
                .ommersHash(BlockHeader.EMPTY_OMMERS_HASH)
                .coinbase(Address.fromHex(p.feeRecipient()))
                .stateRoot(Hash32.fromHex(p.stateRoot()))
                .transactionsRoot(Hash32.fromHex(p.transactionsRoot()))
                .receiptsRoot(Hash32.fromHex(p.receiptsRoot()))
                .logsBloom(Bloom.fromBytes(Hex.decode(p.logsBloom())))
                .difficulty(new BigInteger(p.difficulty()))
                .number(p.number())
                .gasLimit(p.gasLimit())
                .gasUsed(p.gasUsed())
                .timestamp(p.timestamp())
                .extraData(Hex.decode(p.extraData()))
                .mixHash(Hash32.fromHex(p.mixHash()))
                .nonce(0)
                .baseFeePerGas(new BigInteger(p.baseFeePerGas()))
                .build();
    }

    public static BlockEnv env(BlockPayload p) {
        return new BlockEnv(p.number(), p.timestamp(), Address.fromHex(p.feeRecipient()), p.gasLimit(), new BigInteger(p.baseFeePerGas()));
    }

    public static List<Transaction> transactions(BlockPayload p) {
        List<Transaction> out = new ArrayList<>(p.transactions().size());
        for (String raw : p.transactions()) {
            out.add(transaction(raw));
        }
        return out;
    }

    /** One transaction of a payload, from its hex encoding. */
    public static Transaction transaction(String raw) {
        return TransactionDecoder.decode(Hex.decode(raw));
    }
}
