package org.rollupnode.execution.evm.state;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.rollupnode.execution.evm.frame.Code;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/** An account as one transaction sees and changes it. Mutated only through {@link JournaledState}. */
final class EvmAccount {
    final Address address;
    final boolean existed;
    final Hash32 baseStorageRoot;
    long nonce;
    BigInteger balance;
    Hash32 codeHash;
    Code code; // loaded lazily
    boolean codeChanged;
    /** Current values of slots written in this transaction. */
    final Map<Hash32, Hash32> storage = new HashMap<>();
    /** Values at the start of the transaction, as read (EIP-2200 "original"). */
    final Map<Hash32, Hash32> original = new HashMap<>();
    boolean touched;
    boolean createdInTx;
    boolean selfDestructed;

    EvmAccount(Address address, Account base) {
        this.address = address;
        this.existed = base != null;
        Account a = base == null ? Account.EMPTY : base;
        this.nonce = a.nonce();
        this.balance = a.balance();
        this.codeHash = a.codeHash();
        this.baseStorageRoot = a.storageRoot();
    }

    boolean isEmpty() {
        return nonce == 0 && balance.signum() == 0 && codeHash.equals(Account.EMPTY_CODE_HASH);
    }

    boolean exists() {
        return existed || touched;
    }
}
