package org.rollupnode.execution.evm;

import java.math.BigInteger;
import java.util.Map;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.evm.frame.Code;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.gas.GasCalculator;
import org.rollupnode.execution.evm.precompile.Precompile;
import org.rollupnode.execution.evm.precompile.PrecompileResult;
import org.rollupnode.execution.evm.state.JournaledState;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * One transaction's EVM: the message-call and contract-creation machinery (value transfer,
 * snapshots, precompiles, depth limit, code deposit) around the {@link Interpreter}. Not
 * thread-safe; a new instance per transaction.
 */
public final class Evm {
    public static final int MAX_CALL_DEPTH = 1024;

    private final EvmRules rules;
    private final GasCalculator gas;
    private final Map<Address, Precompile> precompiles;
    private final BlockContext block;
    private final JournaledState state;
    private final Address origin;
    private final BigInteger gasPrice;
    private final Interpreter interpreter;
    private CallTracer tracer;

    public Evm(EvmRules rules, GasCalculator gas, Map<Address, Precompile> precompiles, BlockContext block,
               JournaledState state, Address origin, BigInteger gasPrice) {
        this.rules = rules;
        this.gas = gas;
        this.precompiles = precompiles;
        this.block = block;
        this.state = state;
        this.origin = origin;
        this.gasPrice = gasPrice;
        this.interpreter = Interpreter.forRules(rules);
    }

    /** Traces every frame from now on (debug_traceTransaction); null turns tracing off. */
    public Evm tracer(CallTracer t) {
        this.tracer = t;
        return this;
    }

    public EvmRules rules() {
        return rules;
    }

    public GasCalculator gas() {
        return gas;
    }

    public BlockContext block() {
        return block;
    }

    public JournaledState state() {
        return state;
    }

    public Address origin() {
        return origin;
    }

    public BigInteger gasPrice() {
        return gasPrice;
    }

    public boolean isPrecompile(Address a) {
        return precompiles.containsKey(a);
    }

    /** EIP-7702: the delegate of an account whose code is 0xef0100 ‖ address, else null. */
    public Address delegationTarget(Address a) {
        if (!rules.eip7702()) {
            return null;
        }
        return parseDelegation(state.code(a).bytes());
    }

    public static Address parseDelegation(byte[] code) {
        if (code.length != 23 || code[0] != (byte) 0xef || code[1] != 0x01 || code[2] != 0x00) {
            return null;
        }
        byte[] a = new byte[20];
        System.arraycopy(code, 3, a, 0, 20);
        return Address.wrap(a);
    }

    /** The code a call to {@code a} runs: its own, or its delegate's under EIP-7702. */
    public Code codeToRun(Address a) {
        Code c = state.code(a);
        if (rules.eip7702()) {
            Address target = parseDelegation(c.bytes());
            if (target != null) {
                return state.code(target);
            }
        }
        return c;
    }

    /**
     * A message call. {@code transferValue} moves from caller to recipient (CALL only; CALLCODE
     * checks the balance but moves nothing); {@code apparentValue} is what CALLVALUE shows.
     */
    public CallResult call(CallKind kind, Address caller, Address recipient, Address codeAddress, BigInteger transferValue,
                           BigInteger apparentValue, byte[] input, long gasLimit, boolean isStatic, int depth) {
        if (tracer == null) {
            return callFrame(kind, caller, recipient, codeAddress, transferValue, apparentValue, input, gasLimit, isStatic, depth);
        }
        tracer.enter(kind.name(), caller, recipient, kind == CallKind.STATICCALL || kind == CallKind.DELEGATECALL ? null : apparentValue,
                input, gasLimit, depth);
        CallResult r = callFrame(kind, caller, recipient, codeAddress, transferValue, apparentValue, input, gasLimit, isStatic, depth);
        tracer.exit(r, r.success() || r.reverted() ? gasLimit - r.gasLeft() : gasLimit, null);
        return r;
    }

    private CallResult callFrame(CallKind kind, Address caller, Address recipient, Address codeAddress, BigInteger transferValue,
                                 BigInteger apparentValue, byte[] input, long gasLimit, boolean isStatic, int depth) {
        if (depth > MAX_CALL_DEPTH) {
            return CallResult.rejected(gasLimit);
        }
        boolean transfers = transferValue.signum() != 0;
        if ((kind == CallKind.CALL || kind == CallKind.CALLCODE) && transfers
                && state.balance(caller).compareTo(transferValue) < 0) {
            return CallResult.rejected(gasLimit);
        }
        int snapshot = state.snapshot();
        Precompile precompile = precompiles.get(codeAddress);
        if (kind == CallKind.CALL) {
            if (!state.exists(recipient)) {
                if (precompile == null && !transfers) {
                    return CallResult.ok(gasLimit, CallResult.EMPTY); // EIP-161: calling nothing touches nothing
                }
            }
            transfer(caller, recipient, transferValue);
        } else if (kind == CallKind.STATICCALL) {
            state.touch(recipient);
        }
        if (precompile != null) {
            long cost = precompile.gasCost(input);
            if (cost < 0 || cost > gasLimit) {
                state.revertTo(snapshot);
                return CallResult.halted(ExceptionalHalt.OUT_OF_GAS);
            }
            PrecompileResult r = precompile.run(input);
            if (!r.success()) {
                state.revertTo(snapshot);
                return CallResult.halted(ExceptionalHalt.PRECOMPILE_FAILED);
            }
            return CallResult.ok(gasLimit - cost, r.output() == null ? CallResult.EMPTY : r.output());
        }
        Code code = codeToRun(codeAddress);
        if (code.size() == 0) {
            return CallResult.ok(gasLimit, CallResult.EMPTY);
        }
        Address frameCaller = caller;
        MessageFrame frame = new MessageFrame(this, code, gasLimit, recipient, frameCaller, apparentValue, input, isStatic, depth);
        ExceptionalHalt halt = runFrame(frame);
        if (halt != null) {
            state.revertTo(snapshot);
            return CallResult.halted(halt);
        }
        if (frame.reverted) {
            state.revertTo(snapshot);
            return CallResult.reverted(frame.gas, frame.output);
        }
        return CallResult.ok(frame.gas, frame.output);
    }

    /**
     * Contract creation at {@code address} (already derived by CREATE, CREATE2 or the
     * transaction). Bumps the creator's nonce, warms the address, checks collisions, runs the
     * initcode and deposits the returned code.
     */
    public CallResult create(Address caller, Address address, byte[] initcode, long gasLimit, BigInteger value, int depth) {
        if (tracer == null) {
            return createFrame(caller, address, initcode, gasLimit, value, depth);
        }
        tracer.enter("CREATE", caller, address, value, initcode, gasLimit, depth);
        CallResult r = createFrame(caller, address, initcode, gasLimit, value, depth);
        tracer.exit(r, r.success() || r.reverted() ? gasLimit - r.gasLeft() : gasLimit, r.created());
        return r;
    }

    private CallResult createFrame(Address caller, Address address, byte[] initcode, long gasLimit, BigInteger value, int depth) {
        if (depth > MAX_CALL_DEPTH) {
            return CallResult.rejected(gasLimit);
        }
        if (state.balance(caller).compareTo(value) < 0) {
            return CallResult.rejected(gasLimit);
        }
        long nonce = state.nonce(caller);
        if (nonce == -1L) { // 2^64-1: EIP-2681
            return CallResult.rejected(gasLimit);
        }
        state.setNonce(caller, nonce + 1);
        state.warm(address);
        if (state.hasCollision(address)) {
            return CallResult.halted(ExceptionalHalt.CONTRACT_COLLISION);
        }
        int snapshot = state.snapshot();
        state.markCreated(address);
        state.setNonce(address, 1);
        transfer(caller, address, value);
        MessageFrame frame = new MessageFrame(this, new Code(initcode, null), gasLimit, address, caller, value,
                MessageFrame.EMPTY, false, depth);
        ExceptionalHalt halt = runFrame(frame);
        if (halt != null) {
            state.revertTo(snapshot);
            return CallResult.halted(halt);
        }
        if (frame.reverted) {
            state.revertTo(snapshot);
            return CallResult.reverted(frame.gas, frame.output);
        }
        byte[] code = frame.output;
        if (code.length > rules.maxCodeSize()) {
            state.revertTo(snapshot);
            return CallResult.halted(ExceptionalHalt.CODE_SIZE_EXCEEDED);
        }
        if (code.length > 0 && code[0] == (byte) 0xef) {
            state.revertTo(snapshot); // EIP-3541
            return CallResult.halted(ExceptionalHalt.INVALID_CODE);
        }
        long deposit = gas.codeDepositCost(code.length);
        if (frame.gas < deposit) {
            state.revertTo(snapshot);
            return CallResult.halted(ExceptionalHalt.OUT_OF_GAS);
        }
        state.setCode(address, code);
        return new CallResult(true, frame.gas - deposit, CallResult.EMPTY, false, null, address);
    }

    private void transfer(Address from, Address to, BigInteger value) {
        state.subtractBalance(from, value);
        state.addBalance(to, value);
    }

    private ExceptionalHalt runFrame(MessageFrame frame) {
        if (BigStack.needed(frame.depth)) {
            return BigStack.run(() -> interpreter.run(frame));
        }
        return interpreter.run(frame);
    }

    /** CREATE: keccak256(rlp([sender, nonce]))[12:]. */
    public static Address createAddress(Address sender, long nonce) {
        byte[] h = Keccak.hash256(Rlp.encodeList(Rlp.encodeBytes(sender.unsafeBytes()), org.rollupnode.execution.state.Account.encodeU64(nonce)));
        return tail(h);
    }

    /** CREATE2: keccak256(0xff ‖ sender ‖ salt ‖ keccak256(initcode))[12:]. */
    public static Address create2Address(Address sender, byte[] salt, byte[] initcode) {
        byte[] buf = new byte[85];
        buf[0] = (byte) 0xff;
        System.arraycopy(sender.unsafeBytes(), 0, buf, 1, 20);
        System.arraycopy(salt, 0, buf, 21, 32);
        System.arraycopy(Keccak.hash256(initcode), 0, buf, 53, 32);
        return tail(Keccak.hash256(buf));
    }

    private static Address tail(byte[] h) {
        byte[] a = new byte[20];
        System.arraycopy(h, 12, a, 0, 20);
        return Address.wrap(a);
    }

    static Hash32 hashOf(byte[] b) {
        return Keccak.hash(b);
    }
}
