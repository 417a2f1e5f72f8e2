package org.rollupnode.execution.evm.operation;

import java.math.BigInteger;
import org.rollupnode.execution.evm.EvmRules;
import org.rollupnode.execution.evm.ExceptionalHalt;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;
import org.rollupnode.execution.evm.state.JournaledState;
import org.rollupnode.execution.types.Address;

/** 0xff SELFDESTRUCT with EIP-6780 semantics; under Scroll rules it is not activated at all. */
public final class SelfDestructOperation {
    private SelfDestructOperation() {}

    public static void selfdestruct(MessageFrame f) {
        if (f.evm.rules().selfdestruct() == EvmRules.SelfDestruct.DISABLED) {
            throw ExceptionalHalt.NOT_ACTIVATED.error();
        }
        if (f.isStatic) {
            throw ExceptionalHalt.WRITE_PROTECTION.error();
        }
        Address beneficiary = Words.toAddress(f.stack, f.at(0));
        JournaledState st = f.evm.state();
        var g = f.evm.gas().schedule();
        long cost = st.warm(beneficiary) ? g.coldAccountAccess() : 0;
        BigInteger balance = st.balance(f.recipient);
        if (balance.signum() != 0 && st.isEmpty(beneficiary)) {
            cost += g.newAccount();
        }
        f.useGas(cost);
        st.subtractBalance(f.recipient, balance);
        st.addBalance(beneficiary, balance);
        if (st.createdInTx(f.recipient)) {
            st.selfDestruct(f.recipient);
        }
        f.sp--;
    }
}
