package org.rollupnode.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.rollupnode.chain.CanonicalChain;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.builder.TransactionRejected;
import org.rollupnode.execution.evm.CallTraceCollector;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.gateway.rpc.JsonRpcDispatcher;
import org.rollupnode.gateway.rpc.JsonRpcException;
import org.rollupnode.gateway.rpc.JsonRpcParams;

/**
 * {@code debug_traceTransaction} with geth's {@code callTracer}: the block is re-executed on its
 * parent's state up to the transaction, which then runs with every call frame recorded.
 */
public final class DebugApi {
    private final ChainView view;

    public DebugApi(ChainView view) {
        this.view = view;
    }

    public void register(JsonRpcDispatcher d) {
        d.register("debug_traceTransaction", this::traceTransaction);
    }

    private Object traceTransaction(JsonRpcParams p) throws JsonRpcException {
        Hash32 hash;
        try {
            hash = Hash32.fromHex(p.requiredString(0, "transactionHash"));
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("invalid transactionHash: " + e.getMessage());
        }
        JsonNode options = p.optional(1);
        String tracer = options == null || options.isNull() || !options.hasNonNull("tracer") ? "callTracer" : options.get("tracer").asText();
        if (!"callTracer".equals(tracer)) {
            throw JsonRpcException.invalidParams("unsupported tracer '" + tracer + "': only callTracer is available");
        }
        CanonicalChain chain = view.chain();
        CanonicalChain.TxLocation loc = chain.transaction(hash)
                .orElseThrow(() -> JsonRpcException.resourceNotFound("transaction " + hash + " not found"));
        CanonicalChain.ChainBlock block = chain.byNumber(loc.blockNumber()).orElseThrow();
        CanonicalChain.ChainBlock parent = chain.byNumber(loc.blockNumber() - 1).orElseThrow();
        WorldState parentState = chain.stateAt(parent.number()).orElseThrow(() -> JsonRpcException.resourceUnavailable(
                "state of block " + parent.number() + " is no longer retained by this gateway; cannot trace"));
        var header = block.block().header();
        BlockBuilder builder = new BlockBuilder(view.spec(), parent.block().header(), parentState,
                new org.rollupnode.execution.builder.BlockEnv(header.number(), header.timestamp(), header.coinbase(), header.gasLimit(),
                        header.baseFeePerGas()));
        List<ExecutedTransaction> txs = block.block().transactions();
        try {
            for (int i = 0; i < loc.index(); i++) {
                builder.add(txs.get(i).transaction());
            }
            CallTraceCollector collector = new CallTraceCollector();
            ExecutedTransaction traced = builder.addTraced(txs.get(loc.index()).transaction(), collector);
            Map<String, Object> top = collector.result();
            if (top == null) {
                throw JsonRpcException.internal("nothing was executed");
            }
            // The top frame reports the transaction's gas, as geth does.
            top.put("gas", Quantity.hex(traced.transaction().gasLimit()));
            top.put("gasUsed", Quantity.hex(traced.gasUsed()));
            return top;
        } catch (TransactionRejected e) {
            throw JsonRpcException.internal("re-execution of block " + block.number() + " failed: " + e.getMessage());
        }
    }
}
