package org.rollupnode.execution.builder;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.block.Bloom;
import org.rollupnode.execution.block.Receipt;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.trie.TrieRoots;
import org.rollupnode.execution.tx.InvalidTransactionException;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * Builds one block on a parent: a pure function of (parent header, parent state, block env,
 * transactions in order). The sequencer feeds it from the mempool; replay and the gateways feed
 * it the payload's transactions and must obtain the same header.
 *
 * <p>This walking-skeleton executor handles value transfers between accounts without code. Calls
 * into code and contract creation wait for the EVM and are rejected with a clear reason, never
 * half-executed. The L1 data fee is not charged yet (0).
 */
public final class BlockBuilder {
    private final ChainSpec spec;
    private final BlockHeader parent;
    private final BlockEnv env;
    private final StateOverlay block;
    private final List<ExecutedTransaction> included = new ArrayList<>();
    private long cumulativeGas;
    private boolean sealed;

    public BlockBuilder(ChainSpec spec, BlockHeader parent, WorldState parentState, BlockEnv env) {
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
    public ExecutedTransaction add(Transaction tx) throws TransactionRejected {
        if (sealed) {
            throw new IllegalStateException("block already sealed");
        }
        if (tx.isL1Message()) {
            throw new TransactionRejected(TransactionRejected.Reason.UNSUPPORTED, "L1 messages are not executed yet");
        }
        if (tx.chainId() == null) {
            throw new TransactionRejected(TransactionRejected.Reason.NO_REPLAY_PROTECTION,
                    "only replay-protected (EIP-155) transactions are allowed");
        }
        if (tx.chainId() != spec.chainId()) {
            throw new TransactionRejected(TransactionRejected.Reason.WRONG_CHAIN_ID,
                    "invalid chain id: have " + tx.chainId() + ", want " + spec.chainId());
        }
        Address sender;
        try {
            sender = tx.sender();
        } catch (InvalidTransactionException e) {
            throw new TransactionRejected(TransactionRejected.Reason.INVALID, e.getMessage());
        }
        Account from = block.account(sender);
        if (from.hasCode()) {
            throw new TransactionRejected(TransactionRejected.Reason.SENDER_HAS_CODE, "sender not an eoa: " + sender);
        }
        if (tx.nonce() < from.nonce()) {
            throw new TransactionRejected(TransactionRejected.Reason.NONCE_TOO_LOW,
                    "nonce too low: next nonce " + from.nonce() + ", tx nonce " + tx.nonce());
        }
        if (tx.nonce() > from.nonce()) {
            throw new TransactionRejected(TransactionRejected.Reason.NONCE_TOO_HIGH,
                    "nonce too high: next nonce " + from.nonce() + ", tx nonce " + tx.nonce());
        }
        if (tx.gasLimit() > env.gasLimit()) {
            throw new TransactionRejected(TransactionRejected.Reason.GAS_LIMIT_EXCEEDS_BLOCK, "exceeds block gas limit");
        }
        if (tx.gasLimit() > gasRemaining()) {
            throw new TransactionRejected(TransactionRejected.Reason.BLOCK_FULL, "gas limit reached");
        }
        long intrinsic = tx.intrinsicGas();
        long floor = tx.floorDataGas(); // EIP-7623, active since Feynman
        if (tx.gasLimit() < Math.max(intrinsic, floor)) {
            throw new TransactionRejected(TransactionRejected.Reason.INTRINSIC_GAS_TOO_LOW,
                    "intrinsic gas too low: have " + tx.gasLimit() + ", want " + Math.max(intrinsic, floor));
        }
        if (tx.maxFeePerGas().compareTo(env.baseFee()) < 0) {
            throw new TransactionRejected(TransactionRejected.Reason.FEE_CAP_BELOW_BASE_FEE,
                    "max fee per gas less than block base fee: maxFeePerGas " + tx.maxFeePerGas() + ", baseFee " + env.baseFee());
        }
        BigInteger upFront = tx.maxFeePerGas().multiply(BigInteger.valueOf(tx.gasLimit())).add(tx.value());
        if (from.balance().compareTo(upFront) < 0) {
            throw new TransactionRejected(TransactionRejected.Reason.INSUFFICIENT_FUNDS,
                    "insufficient funds for gas * price + value: address " + sender + " have " + from.balance() + " want " + upFront);
        }
        if (tx.to() == null) {
            throw new TransactionRejected(TransactionRejected.Reason.UNSUPPORTED, "contract creation is not supported until the EVM lands");
        }
        if (block.account(tx.to()).hasCode()) {
            throw new TransactionRejected(TransactionRejected.Reason.UNSUPPORTED, "calls into contract code are not supported until the EVM lands");
        }

        StateOverlay txState = block.child();
        BigInteger price = tx.effectiveGasPrice(env.baseFee());
        long gasUsed = Math.max(intrinsic, floor);
        BigInteger fee = price.multiply(BigInteger.valueOf(gasUsed));
        Account sent = txState.account(sender);
        txState.putAccount(sender, sent.withNonce(sent.nonce() + 1).withBalance(sent.balance().subtract(fee).subtract(tx.value())));
        txState.addBalance(tx.to(), tx.value());
        // Scroll does not burn the base fee: the whole fee goes to the fee recipient.
        txState.addBalance(env.coinbase(), fee);
        txState.mergeInto();

        cumulativeGas += gasUsed;
        Receipt receipt = new Receipt(tx.type(), true, cumulativeGas, List.of());
        ExecutedTransaction executed = new ExecutedTransaction(tx, receipt, gasUsed, price, BigInteger.ZERO, included.size());
        included.add(executed);
        return executed;
    }

    public BuiltBlock seal(byte[] extraData) {
        sealed = true;
        WorldState post = block.commit();
        List<byte[]> txs = new ArrayList<>(included.size());
        List<byte[]> receipts = new ArrayList<>(included.size());
        Bloom bloom = Bloom.EMPTY;
        for (ExecutedTransaction e : included) {
            txs.add(e.transaction().encoded());
            receipts.add(e.receipt().encode());
            bloom = bloom.or(e.receipt().bloom());
        }
        BlockHeader header = BlockHeader.builder()
                .parentHash(parent.hash())
                .ommersHash(BlockHeader.EMPTY_OMMERS_HASH)
                .coinbase(env.coinbase())
                .stateRoot(post.stateRoot())
                .transactionsRoot(TrieRoots.ordered(txs))
                .receiptsRoot(TrieRoots.ordered(receipts))
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

    /**
     * Re-executes a block whose transactions were already chosen (replay, gateways, restart).
     * Every transaction must be accepted; one that is not makes the block invalid.
     */
    public static BuiltBlock reexecute(ChainSpec spec, BlockHeader parent, WorldState parentState, BlockEnv env,
                                       List<Transaction> transactions, byte[] extraData) throws InvalidBlockException {
        BlockBuilder b = new BlockBuilder(spec, parent, parentState, env);
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
