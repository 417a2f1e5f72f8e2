package org.rollupnode.gateway;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rollupnode.chain.CanonicalChain;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.tx.AccessListEntry;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/** Ethereum JSON-RPC shapes of blocks, transactions and receipts (as geth returns them). */
public final class RpcFormat {
    private RpcFormat() {}

    public static Map<String, Object> block(CanonicalChain.ChainBlock b, boolean fullTransactions) {
        BlockHeader h = b.block().header();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", Quantity.hex(h.number()));
        m.put("hash", h.hash().toHex());
        m.put("parentHash", h.parentHash().toHex());
        m.put("nonce", "0x0000000000000000");
        m.put("sha3Uncles", h.ommersHash().toHex());
        m.put("logsBloom", Hex.encode(h.logsBloom().toArray()));
        m.put("transactionsRoot", h.transactionsRoot().toHex());
        m.put("stateRoot", h.stateRoot().toHex());
        m.put("receiptsRoot", h.receiptsRoot().toHex());
        m.put("miner", h.coinbase().toHex());
        m.put("difficulty", Quantity.hex(h.difficulty()));
        m.put("totalDifficulty", Quantity.hex(h.difficulty().multiply(BigInteger.valueOf(h.number() + 1))));
        m.put("extraData", Hex.encode(h.extraData()));
        m.put("size", Quantity.hex(blockSize(b)));
        m.put("gasLimit", Quantity.hex(h.gasLimit()));
        m.put("gasUsed", Quantity.hex(h.gasUsed()));
        m.put("timestamp", Quantity.hex(h.timestamp()));
        m.put("mixHash", h.mixHash().toHex());
        if (h.baseFeePerGas() != null) {
            m.put("baseFeePerGas", Quantity.hex(h.baseFeePerGas()));
        }
        List<Object> txs = new ArrayList<>();
        for (ExecutedTransaction e : b.block().transactions()) {
            txs.add(fullTransactions ? transaction(e, b) : e.transaction().hash().toHex());
        }
        m.put("transactions", txs);
        m.put("uncles", List.of());
        if (b.signature() != null) {
            // Scroll's block signature (r ‖ s ‖ y-parity over the seal hash); not part of the hash.
            m.put("signature", b.signature());
            m.put("signer", b.signer());
        }
        return m;
    }

    private static long blockSize(CanonicalChain.ChainBlock b) {
        long size = b.block().header().rlp().length + 3;
        for (ExecutedTransaction e : b.block().transactions()) {
            size += e.transaction().encoded().length + 3;
        }
        return size;
    }

    public static Map<String, Object> transaction(ExecutedTransaction e, CanonicalChain.ChainBlock b) {
        Map<String, Object> m = transaction(e.transaction());
        m.put("blockHash", b.hash().toHex());
        m.put("blockNumber", Quantity.hex(b.number()));
        m.put("transactionIndex", Quantity.hex(e.index()));
        m.put("gasPrice", Quantity.hex(e.effectiveGasPrice()));
        return m;
    }

    public static Map<String, Object> transaction(Transaction tx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blockHash", null);
        m.put("blockNumber", null);
        m.put("transactionIndex", null);
        m.put("hash", tx.hash().toHex());
        m.put("type", Quantity.hex(tx.type()));
        m.put("from", tx.sender().toHex());
        m.put("to", tx.to() == null ? null : tx.to().toHex());
        m.put("nonce", Quantity.hex(tx.nonce()));
        m.put("gas", Quantity.hex(tx.gasLimit()));
        m.put("value", Quantity.hex(tx.value()));
        m.put("input", Hex.encode(tx.data()));
        m.put("gasPrice", Quantity.hex(tx.gasPrice()));
        if (tx.type() == 2 || tx.type() == 4) {
            m.put("maxFeePerGas", Quantity.hex(tx.maxFeePerGas()));
            m.put("maxPriorityFeePerGas", Quantity.hex(tx.maxPriorityFeePerGas()));
        }
        if (tx.chainId() != null) {
            m.put("chainId", Quantity.hex(tx.chainId()));
        }
        if (tx.type() != 0) {
            List<Object> al = new ArrayList<>();
            for (AccessListEntry a : tx.accessList()) {
                al.add(Map.of("address", a.address().toHex(), "storageKeys", a.storageKeys().stream().map(Hash32::toHex).toList()));
            }
            m.put("accessList", al);
        }
        if (!tx.isL1Message()) {
            if (tx.type() == 0) {
                m.put("v", Quantity.hex(tx.v()));
            } else {
                m.put("v", Quantity.hex(tx.yParity()));
                m.put("yParity", Quantity.hex(tx.yParity()));
            }
            m.put("r", Quantity.hex(tx.r()));
            m.put("s", Quantity.hex(tx.s()));
        } else {
            m.put("queueIndex", Quantity.hex(tx.queueIndex()));
            m.put("sender", tx.sender().toHex());
        }
        return m;
    }

    public static Map<String, Object> receipt(ExecutedTransaction e, CanonicalChain.ChainBlock b) {
        Transaction tx = e.transaction();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transactionHash", tx.hash().toHex());
        m.put("transactionIndex", Quantity.hex(e.index()));
        m.put("blockHash", b.hash().toHex());
        m.put("blockNumber", Quantity.hex(b.number()));
        m.put("from", tx.sender().toHex());
        m.put("to", tx.to() == null ? null : tx.to().toHex());
        m.put("cumulativeGasUsed", Quantity.hex(e.receipt().cumulativeGasUsed()));
        m.put("gasUsed", Quantity.hex(e.gasUsed()));
        m.put("effectiveGasPrice", Quantity.hex(e.effectiveGasPrice()));
        m.put("contractAddress", e.contractAddress() == null ? null : e.contractAddress().toHex());
        List<Object> logs = new ArrayList<>();
        int logIndexBase = 0;
        for (ExecutedTransaction prior : b.block().transactions()) {
            if (prior.index() >= e.index()) {
                break;
            }
            logIndexBase += prior.receipt().logs().size();
        }
        int i = 0;
        for (Log l : e.receipt().logs()) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("address", l.address().toHex());
            lm.put("topics", l.topics().stream().map(Hash32::toHex).toList());
            lm.put("data", Hex.encode(l.data()));
            lm.put("blockNumber", Quantity.hex(b.number()));
            lm.put("blockHash", b.hash().toHex());
            lm.put("transactionHash", tx.hash().toHex());
            lm.put("transactionIndex", Quantity.hex(e.index()));
            lm.put("logIndex", Quantity.hex(logIndexBase + i++));
            lm.put("removed", false);
            logs.add(lm);
        }
        m.put("logs", logs);
        m.put("logsBloom", Hex.encode(e.receipt().bloom().toArray()));
        m.put("status", e.receipt().success() ? "0x1" : "0x0");
        m.put("type", Quantity.hex(tx.type()));
        m.put("l1Fee", Quantity.hex(e.l1Fee()));
        if (tx.isL1Message()) {
            // as l2geth/scroll-reth receipts of L1 messages: which queue entry, and the L1 sender
            m.put("queueIndex", Quantity.hex(tx.queueIndex()));
            m.put("sender", tx.sender().toHex());
        }
        return m;
    }
}
