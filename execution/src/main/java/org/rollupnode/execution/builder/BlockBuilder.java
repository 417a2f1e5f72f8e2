package org.rollupnode.execution.builder;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.block.Bloom;
import org.rollupnode.execution.block.Receipt;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.evm.BlockContext;
import org.rollupnode.execution.evm.EvmRules;
import org.rollupnode.execution.evm.L1FeeCalculator;
import org.rollupnode.execution.evm.TransactionInvalidException;
import org.rollupnode.execution.evm.TransactionProcessor;
import org.rollupnode.execution.evm.TransactionResult;
import org.rollupnode.execution.evm.operation.BlockOperations;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.trie.TrieRoots;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * Builds one block on a parent: a pure function of (parent header, parent state, block env,
 * transactions in order). The sequencer feeds it from the mempool; replay and the gateways feed
 * it the payload's transactions and must obtain the same header.
 *
 * <p>Every transaction runs through the EVM ({@link TransactionProcessor}) under the chain's
 * rules. Before the first transaction, under rules with EIP-2935 BLOCKHASH, the history contract
 * is called with the parent hash (when it is deployed). L1 messages (0x7E) must come before the
 * block's user transactions. The L1 data fee comes from the {@link L1FeeCalculator} given to the
 * constructor (zero by default).
 */
public final class BlockBuilder {
    /** EIP-2935/EIP-4788 system caller. */
    public static final Address SYSTEM_ADDRESS = Address.fromHex("0xfffffffffffffffffffffffffffffffffffffffe");
    private static final long SYSTEM_CALL_GAS = 30_000_000L;
    /** Below this many transactions, handing the ordered tries to another thread costs more than it saves. */
    private static final int PARALLEL_ROOTS_MIN = 64;

    private final ChainSpec spec;
    private final BlockHeader parent;
    private final BlockEnv env;
    private final StateOverlay block;
    private final TransactionProcessor processor;
    private final BlockContext context;
    private final List<ExecutedTransaction> included = new ArrayList<>();
    private long cumulativeGas;
    private boolean userTransactionSeen;
    private boolean sealed;

    public BlockBuilder(ChainSpec spec, BlockHeader parent, WorldState parentState, BlockEnv env) {
        this(spec, parent, parentState, env, org.rollupnode.execution.fee.ScrollL1FeeCalculator.forSpec(spec));
    }

    public BlockBuilder(ChainSpec spec, BlockHeader parent, WorldState parentState, BlockEnv env, L1FeeCalculator l1Fees) {
        if (env.number() != parent.number() + 1) {
            throw new IllegalArgumentException("block " + env.number() + " cannot follow block " + parent.number());
        }
        if (env.timestamp() < parent.timestamp()) {
            throw new IllegalArgumentException("timestamp " + env.timestamp() + " is before the parent's " + parent.timestamp());
        }
        this.spec = spec;
        this.parent = parent;
        this.env = env;
        this.block = new StateOverlay(parentState);
        EvmRules rules = spec.rulesAt(env.timestamp());
        this.processor = new TransactionProcessor(rules, l1Fees);
        this.context = new BlockContext(env.coinbase(), env.number(), env.timestamp(), env.gasLimit(), env.baseFee(),
                Hash32.ZERO, spec.chainId(), BigInteger.ONE, null);
        if (rules.blockHashSource() == EvmRules.BlockHashSource.HISTORY_STORAGE && env.number() > 0
                && block.account(BlockOperations.HISTORY_STORAGE).hasCode()) {
            processor.systemCall(block, context, SYSTEM_ADDRESS, BlockOperations.HISTORY_STORAGE,
                    parent.hash().toArray(), SYSTEM_CALL_GAS);
        }
    }

    public BlockEnv env() {
        return env;
    }

    public long gasUsed() {
        return cumulativeGas;
    }

    public long gasRemaining() {
        return env.gasLimit() - cumulativeGas;
    }

    public int transactionCount() {
        return included.size();
    }

    /** The nonce the next transaction of {@code sender} must carry in this block. */
    public long nextNonce(Address sender) {
        return block.account(sender).nonce();
    }

    /** Executes {@code tx} and keeps it, or throws without any effect on the block. */
    private org.rollupnode.execution.evm.CallTracer tracer;

    /** Executes {@code tx} like {@link #add} while reporting every call frame to {@code t} (debug tracing). */
    public ExecutedTransaction addTraced(Transaction tx, org.rollupnode.execution.evm.CallTracer t) throws TransactionRejected {
        this.tracer = t;
        try {
            return add(tx);
        } finally {
            this.tracer = null;
        }
    }

    public ExecutedTransaction add(Transaction tx) throws TransactionRejected {
        if (sealed) {
            throw new IllegalStateException("block already sealed");
        }
        if (tx.isL1Message()) {
            if (userTransactionSeen) {
                throw new TransactionRejected(TransactionRejected.Reason.INVALID,
                        "L1 message " + tx.queueIndex() + " after a user transaction: L1 messages go first in a block");
            }
        } else {
            if (tx.chainId() == null) {
                throw new TransactionRejected(TransactionRejected.Reason.NO_REPLAY_PROTECTION,
                        "only replay-protected (EIP-155) transactions are allowed");
            }
            if (tx.chainId() != spec.chainId()) {
                throw new TransactionRejected(TransactionRejected.Reason.WRONG_CHAIN_ID,
                        "invalid chain id: have " + tx.chainId() + ", want " + spec.chainId());
            }
        }
        if (tx.gasLimit() > env.gasLimit()) {
            throw new TransactionRejected(TransactionRejected.Reason.GAS_LIMIT_EXCEEDS_BLOCK, "exceeds block gas limit");
        }
        if (tx.gasLimit() > gasRemaining()) {
            throw new TransactionRejected(TransactionRejected.Reason.BLOCK_FULL, "gas limit reached");
        }
        TransactionResult r;
        try {
            r = processor.process(block, context, tx, tracer);
        } catch (TransactionInvalidException e) {
            throw new TransactionRejected(map(e.reason()), e.getMessage());
        }
        if (!tx.isL1Message()) {
            userTransactionSeen = true;
        }
        cumulativeGas += r.gasUsed();
        Receipt receipt = new Receipt(tx.type(), r.success(), cumulativeGas, r.logs());
        ExecutedTransaction executed = new ExecutedTransaction(tx, receipt, r.gasUsed(), r.effectiveGasPrice(), r.l1Fee(),
                included.size(), r.contractAddress());
        included.add(executed);
        return executed;
    }

    private static TransactionRejected.Reason map(TransactionInvalidException.Reason r) {
        return switch (r) {
            case NONCE_TOO_LOW -> TransactionRejected.Reason.NONCE_TOO_LOW;
            case NONCE_TOO_HIGH -> TransactionRejected.Reason.NONCE_TOO_HIGH;
            case SENDER_NOT_EOA -> TransactionRejected.Reason.SENDER_HAS_CODE;
            case INSUFFICIENT_FUNDS -> TransactionRejected.Reason.INSUFFICIENT_FUNDS;
            case INTRINSIC_GAS_TOO_LOW -> TransactionRejected.Reason.INTRINSIC_GAS_TOO_LOW;
            case FEE_CAP_BELOW_BASE_FEE -> TransactionRejected.Reason.FEE_CAP_BELOW_BASE_FEE;
            case GAS_LIMIT_EXCEEDS_BLOCK -> TransactionRejected.Reason.GAS_LIMIT_EXCEEDS_BLOCK;
            case WRONG_CHAIN_ID -> TransactionRejected.Reason.WRONG_CHAIN_ID;
            case TYPE_NOT_SUPPORTED -> TransactionRejected.Reason.UNSUPPORTED;
            case NONCE_MAX, INITCODE_SIZE_EXCEEDED, INVALID_SENDER -> TransactionRejected.Reason.INVALID;
        };
    }

    public BuiltBlock seal(byte[] extraData) {
        sealed = true;
        List<byte[]> txs = new ArrayList<>(included.size());
        List<byte[]> receipts = new ArrayList<>(included.size());
        Bloom bloom = Bloom.EMPTY;
        for (ExecutedTransaction e : included) {
            txs.add(e.transaction().encoded());
            receipts.add(e.receipt().encode());
            bloom = bloom.or(e.receipt().bloom());
        }
        // The transactions and receipts tries are a third of a full block's cost and do not depend
        // on the state: hash them on another core while this one commits the state and hashes it.
        ForkJoinTask<Hash32[]> orderedRoots = null;
        if (included.size() >= PARALLEL_ROOTS_MIN && Runtime.getRuntime().availableProcessors() > 1) {
            orderedRoots = ForkJoinPool.commonPool().submit(() -> orderedRoots(txs, receipts));
        }
        WorldState post = block.commit();
        Hash32 stateRoot = post.stateRoot();
        Hash32[] roots;
        if (orderedRoots == null || orderedRoots.tryUnfork()) {
            roots = orderedRoots(txs, receipts); // no other core took it: compute it here
        } else {
            roots = orderedRoots.join();
        }
        BlockHeader header = BlockHeader.builder()
                .parentHash(parent.hash())
                .ommersHash(BlockHeader.EMPTY_OMMERS_HASH)
                .coinbase(env.coinbase())
                .stateRoot(stateRoot)
                .transactionsRoot(roots[0])
                .receiptsRoot(roots[1])
                .logsBloom(bloom)
                .difficulty(BigInteger.ONE)
                .number(env.number())
                .gasLimit(env.gasLimit())
                .gasUsed(cumulativeGas)
                .timestamp(env.timestamp())
                .extraData(extraData)
                .mixHash(Hash32.ZERO)
                .nonce(0)
                .baseFeePerGas(env.baseFee())
                .build();
        return new BuiltBlock(header, included, post);
    }

    private static Hash32[] orderedRoots(List<byte[]> txs, List<byte[]> receipts) {
        return new Hash32[] {TrieRoots.ordered(txs), TrieRoots.ordered(receipts)};
    }

    /**
     * Re-executes a block whose transactions were already chosen (replay, gateways, restart).
     * Every transaction must be accepted; one that is not makes the block invalid.
     */
    public static BuiltBlock reexecute(ChainSpec spec, BlockHeader parent, WorldState parentState, BlockEnv env,
                                       List<Transaction> transactions, byte[] extraData) throws InvalidBlockException {
        return reexecute(spec, parent, parentState, env, transactions, extraData,
                org.rollupnode.execution.fee.ScrollL1FeeCalculator.forSpec(spec));
    }

    public static BuiltBlock reexecute(ChainSpec spec, BlockHeader parent, WorldState parentState, BlockEnv env,
                                       List<Transaction> transactions, byte[] extraData, L1FeeCalculator l1Fees)
            throws InvalidBlockException {
        // Sender recovery and the L1 fee's compression depend only on each transaction's bytes:
        // do them on all cores, so the sequential execution below only does state work.
        org.rollupnode.execution.tx.TransactionPrefetch.start(transactions, l1Fees::prepare).finish();
        BlockBuilder b = new BlockBuilder(spec, parent, parentState, env, l1Fees);
        for (int i = 0; i < transactions.size(); i++) {
            try {
                b.add(transactions.get(i));
            } catch (TransactionRejected e) {
                throw new InvalidBlockException("block " + env.number() + ": transaction " + i + " ("
                        + transactions.get(i).hash() + ") is invalid: " + e.getMessage());
            }
        }
        return b.seal(extraData);
    }
}
