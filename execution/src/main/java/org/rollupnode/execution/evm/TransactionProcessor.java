package org.rollupnode.execution.evm;

import java.math.BigInteger;
import java.util.Map;
import org.rollupnode.execution.evm.TransactionInvalidException.Reason;
import org.rollupnode.execution.evm.gas.GasCalculator;
import org.rollupnode.execution.evm.gas.ScheduledGasCalculator;
import org.rollupnode.execution.evm.precompile.Precompile;
import org.rollupnode.execution.evm.precompile.Precompiles;
import org.rollupnode.execution.evm.state.JournaledState;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.tx.AccessListEntry;
import org.rollupnode.execution.tx.Authorization;
import org.rollupnode.execution.tx.InvalidTransactionException;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * Executes one transaction on a state overlay: validation against the state, up-front gas
 * purchase, nonce, access-list warm-up, EIP-7702 authorizations, the top-level call or
 * creation, refunds (capped at gasUsed/5), the EIP-7623 floor and the fee payment.
 *
 * <p>Ethereum rules burn the base fee and pay the tip to the coinbase. Scroll rules pay
 * {@code gasUsed * effectiveGasPrice + l1Fee} to the coinbase, and execute L1 messages (0x7E)
 * without fee, nonce check, refund or floor, but with the sender's nonce incremented.
 */
public final class TransactionProcessor {
    private final EvmRules rules;
    private final GasCalculator gas;
    private final Map<Address, Precompile> precompiles;
    private final L1FeeCalculator l1Fees;

    public TransactionProcessor(EvmRules rules) {
        this(rules, L1FeeCalculator.ZERO);
    }

    public TransactionProcessor(EvmRules rules, L1FeeCalculator l1Fees) {
        this(rules, Precompiles.forRules(rules), l1Fees);
    }

    public TransactionProcessor(EvmRules rules, Map<Address, Precompile> precompiles, L1FeeCalculator l1Fees) {
        this.rules = rules;
        this.gas = new ScheduledGasCalculator(rules.gas());
        this.precompiles = Map.copyOf(precompiles);
        this.l1Fees = l1Fees;
    }

    public EvmRules rules() {
        return rules;
    }

    /**
     * Validates and executes {@code tx}; on success its effects are in {@code overlay}.
     *
     * @throws TransactionInvalidException when the transaction is invalid on this state (overlay untouched)
     */
    public TransactionResult process(StateOverlay overlay, BlockContext block, Transaction tx) throws TransactionInvalidException {
        return process(overlay, block, tx, null);
    }

    /** As {@link #process(StateOverlay, BlockContext, Transaction)}, with every frame reported to {@code tracer}. */
    public TransactionResult process(StateOverlay overlay, BlockContext block, Transaction tx, CallTracer tracer)
            throws TransactionInvalidException {
        boolean l1 = tx.isL1Message();
        checkType(tx, l1);
        Address sender;
        try {
            sender = tx.sender();
        } catch (InvalidTransactionException e) {
            throw new TransactionInvalidException(Reason.INVALID_SENDER, e.getMessage());
        }
        if (tx.chainId() != null && tx.chainId() != block.chainId()) {
            throw new TransactionInvalidException(Reason.WRONG_CHAIN_ID,
                    "invalid chain id: have " + tx.chainId() + ", want " + block.chainId());
        }
        if (Long.compareUnsigned(tx.gasLimit(), block.gasLimit()) > 0) {
            throw new TransactionInvalidException(Reason.GAS_LIMIT_EXCEEDS_BLOCK,
                    "transaction gas limit " + tx.gasLimit() + " exceeds block gas limit " + block.gasLimit());
        }
        JournaledState st = new JournaledState(overlay);
        long nonce = st.nonce(sender);
        if (!l1) {
            if (Long.compareUnsigned(tx.nonce(), nonce) < 0) {
                throw new TransactionInvalidException(Reason.NONCE_TOO_LOW, "nonce too low: next nonce " + Long.toUnsignedString(nonce) + ", tx nonce " + Long.toUnsignedString(tx.nonce()));
            }
            if (Long.compareUnsigned(tx.nonce(), nonce) > 0) {
                throw new TransactionInvalidException(Reason.NONCE_TOO_HIGH, "nonce too high: next nonce " + Long.toUnsignedString(nonce) + ", tx nonce " + Long.toUnsignedString(tx.nonce()));
            }
        }
        if (nonce == -1L) {
            throw new TransactionInvalidException(Reason.NONCE_MAX, "nonce has max value: address " + sender);
        }
        byte[] senderCode = st.code(sender).bytes();
        if (senderCode.length > 0 && !(rules.eip7702() && Evm.parseDelegation(senderCode) != null)) {
            throw new TransactionInvalidException(Reason.SENDER_NOT_EOA, "sender not an eoa: address " + sender);
        }
        if (!l1 && tx.maxFeePerGas().compareTo(block.baseFee()) < 0) {
            throw new TransactionInvalidException(Reason.FEE_CAP_BELOW_BASE_FEE,
                    "max fee per gas less than block base fee: maxFeePerGas " + tx.maxFeePerGas() + ", baseFee " + block.baseFee());
        }
        long intrinsic = tx.intrinsicGas();
        if (tx.gasLimit() < intrinsic) {
            throw new TransactionInvalidException(Reason.INTRINSIC_GAS_TOO_LOW,
                    "intrinsic gas too low: have " + tx.gasLimit() + ", want " + intrinsic);
        }
        boolean floorApplies = rules.eip7623() && !l1;
        long floor = floorApplies ? tx.floorDataGas() : 0;
        if (tx.gasLimit() < floor) {
            throw new TransactionInvalidException(Reason.INTRINSIC_GAS_TOO_LOW,
                    "insufficient gas for floor data gas cost: have " + tx.gasLimit() + ", want " + floor);
        }
        if (tx.to() == null && tx.dataLength() > rules.maxInitcodeSize()) {
            throw new TransactionInvalidException(Reason.INITCODE_SIZE_EXCEEDED,
                    "max initcode size exceeded: code size " + tx.dataLength() + ", limit " + rules.maxInitcodeSize());
        }
        BigInteger price = l1 ? BigInteger.ZERO : tx.effectiveGasPrice(block.baseFee());
        BigInteger gasLimit = BigInteger.valueOf(tx.gasLimit());
        BigInteger l1Fee = BigInteger.ZERO;
        if (!l1) {
            BigInteger balance = st.balance(sender);
            BigInteger maxCost = tx.maxFeePerGas().multiply(gasLimit).add(tx.value());
            if (balance.compareTo(maxCost) < 0) {
                throw new TransactionInvalidException(Reason.INSUFFICIENT_FUNDS,
                        "insufficient funds for gas * price + value: address " + sender + " have " + balance + " want " + maxCost);
            }
            l1Fee = l1Fees.l1Fee(tx, overlay);
            BigInteger afterGas = balance.subtract(price.multiply(gasLimit));
            if (afterGas.compareTo(l1Fee) < 0) {
                throw new TransactionInvalidException(Reason.INSUFFICIENT_FUNDS,
                        "insufficient funds for l1 fee: address " + sender + " have " + afterGas + " want " + l1Fee);
            }
            st.subtractBalance(sender, price.multiply(gasLimit).add(l1Fee));
        }

        // ---- from here on the transaction is valid and will be included ----
        if (tx.to() != null) {
            st.setNonce(sender, nonce + 1); // a creation bumps it inside Evm.create
        }
        st.warm(sender);
        if (tx.to() != null) {
            st.warm(tx.to());
        }
        for (Address p : precompiles.keySet()) {
            st.warm(p);
        }
        for (AccessListEntry e : tx.accessList()) {
            st.warm(e.address());
            for (Hash32 k : e.storageKeys()) {
                st.warmSlot(e.address(), k);
            }
        }
        if (rules.warmCoinbase()) {
            st.warm(block.coinbase());
        }
        if (rules.eip7702() && tx.type() == Transaction.TYPE_EIP7702) {
            applyAuthorizations(st, tx, block.chainId());
        }

        Evm evm = new Evm(rules, gas, precompiles, block, st, sender, price).tracer(tracer);
        long execGas = tx.gasLimit() - intrinsic;
        CallResult r;
        Address created = null;
        if (tx.to() == null) {
            created = Evm.createAddress(sender, nonce);
            r = evm.create(sender, created, tx.unsafeData(), execGas, tx.value(), 0);
        } else {
            Address delegate = evm.delegationTarget(tx.to());
            if (delegate != null) {
                st.warm(delegate);
            }
            r = evm.call(CallKind.CALL, sender, tx.to(), tx.to(), tx.value(), tx.value(), tx.unsafeData(), execGas, false, 0);
        }

        long gasLeft = r.gasLeft();
        long gasUsed = tx.gasLimit() - gasLeft;
        if (!l1) {
            long refund = Math.min(Math.max(st.refund(), 0), gas.maxRefund(gasUsed));
            gasUsed -= refund;
            if (gasUsed < floor) {
                gasUsed = floor;
            }
            gasLeft = tx.gasLimit() - gasUsed;
            st.addBalance(sender, price.multiply(BigInteger.valueOf(gasLeft)));
            BigInteger used = BigInteger.valueOf(gasUsed);
            BigInteger reward = rules.burnBaseFee()
                    ? used.multiply(price.subtract(block.baseFee()))
                    : used.multiply(price).add(l1Fee);
            st.addBalance(block.coinbase(), reward);
        }
        st.commitTo(overlay);
        return new TransactionResult(r.success(), gasUsed, r.success() ? st.logs() : java.util.List.of(), r.output(),
                r.success() ? created : null, price, l1Fee, r.halt(), r.reverted());
    }

    /**
     * A system call (EIP-2935 history update at the start of a block): no fee, no nonce, no
     * receipt; only the callee's state changes persist (the caller, an empty account, is not kept).
     */
    public CallResult systemCall(StateOverlay overlay, BlockContext block, Address caller, Address to, byte[] input, long gasLimit) {
        JournaledState st = new JournaledState(overlay);
        st.warm(caller);
        st.warm(to);
        for (Address p : precompiles.keySet()) {
            st.warm(p);
        }
        Evm evm = new Evm(rules, gas, precompiles, block, st, caller, BigInteger.ZERO);
        CallResult r = evm.call(CallKind.CALL, caller, to, to, BigInteger.ZERO, BigInteger.ZERO, input, gasLimit, false, 0);
        st.commitTo(overlay);
        return r;
    }

    /**
     * Executes a message as {@code eth_call} / {@code eth_estimateGas} do: no signature, nonce,
     * fee or balance-for-gas checks and a gas price of zero, but intrinsic gas, value transfer and
     * the sender's nonce bump (which a creation's address depends on) as for a real transaction.
     * The changes land in {@code scratch}, which the caller discards.
     *
     * @param to null for a creation
     */
    public TransactionResult simulate(StateOverlay scratch, BlockContext block, Address from, Address to, BigInteger value,
                                      byte[] data, long gasLimit) {
        JournaledState st = new JournaledState(scratch);
        long intrinsic = simulatedIntrinsicGas(to, data);
        if (gasLimit < intrinsic) {
            return new TransactionResult(false, gasLimit, java.util.List.of(), new byte[0], null, BigInteger.ZERO,
                    BigInteger.ZERO, ExceptionalHalt.OUT_OF_GAS, false);
        }
        long nonce = st.nonce(from);
        if (to != null) {
            st.setNonce(from, nonce + 1);
        }
        st.warm(from);
        if (to != null) {
            st.warm(to);
        }
        for (Address p : precompiles.keySet()) {
            st.warm(p);
        }
        if (rules.warmCoinbase()) {
            st.warm(block.coinbase());
        }
        Evm evm = new Evm(rules, gas, precompiles, block, st, from, BigInteger.ZERO);
        CallResult r;
        Address created = null;
        if (to == null) {
            created = Evm.createAddress(from, nonce);
            r = evm.create(from, created, data, gasLimit - intrinsic, value, 0);
        } else {
            Address delegate = evm.delegationTarget(to);
            if (delegate != null) {
                st.warm(delegate);
            }
            r = evm.call(CallKind.CALL, from, to, to, value, value, data, gasLimit - intrinsic, false, 0);
        }
        long gasUsed = gasLimit - r.gasLeft();
        gasUsed -= Math.min(Math.max(st.refund(), 0), gas.maxRefund(gasUsed));
        st.commitTo(scratch);
        return new TransactionResult(r.success(), gasUsed, r.success() ? st.logs() : java.util.List.of(), r.output(),
                r.success() ? created : null, BigInteger.ZERO, BigInteger.ZERO, r.halt(), r.reverted());
    }

    private static long simulatedIntrinsicGas(Address to, byte[] data) {
        long g = to == null ? Transaction.TX_CREATE_GAS : Transaction.TX_GAS;
        for (byte b : data) {
            g += b == 0 ? Transaction.TX_DATA_ZERO_GAS : Transaction.TX_DATA_NON_ZERO_GAS;
        }
        if (to == null) {
            g += Transaction.INITCODE_WORD_GAS * ((data.length + 31L) / 32);
        }
        return g;
    }

    private void checkType(Transaction tx, boolean l1) throws TransactionInvalidException {
        int type = tx.type();
        if ((type == Transaction.TYPE_BLOB && !rules.blobTransactions())
                || (type == Transaction.TYPE_EIP7702 && !rules.eip7702())
                || (l1 && !rules.l1Messages())) {
            throw new TransactionInvalidException(Reason.TYPE_NOT_SUPPORTED,
                    "transaction type 0x" + Integer.toHexString(type) + " not supported under " + rules.name());
        }
    }

    /** EIP-7702: each valid authorization sets its authority's code to a delegation; invalid ones are skipped. */
    private void applyAuthorizations(JournaledState st, Transaction tx, long chainId) {
        BigInteger chain = BigInteger.valueOf(chainId);
        for (Authorization auth : tx.authorizationList()) {
            if (auth.chainId().signum() != 0 && !auth.chainId().equals(chain)) {
                continue;
            }
            if (auth.nonceIsMax()) {
                continue;
            }
            Address authority = auth.authority();
            if (authority == null) {
                continue;
            }
            st.warm(authority);
            byte[] code = st.code(authority).bytes();
            if (code.length != 0 && Evm.parseDelegation(code) == null) {
                continue;
            }
            if (st.nonce(authority) != auth.nonce()) {
                continue;
            }
            if (st.exists(authority)) {
                st.addRefund(rules.gas().perEmptyAccount() - rules.gas().authorizationBase());
            }
            st.setNonce(authority, auth.nonce() + 1);
            if (auth.address().equals(Address.ZERO)) {
                st.setCode(authority, new byte[0]);
            } else {
                byte[] d = new byte[23];
                d[0] = (byte) 0xef;
                d[1] = 0x01;
                System.arraycopy(auth.address().unsafeBytes(), 0, d, 3, 20);
                st.setCode(authority, d);
            }
        }
    }

}
