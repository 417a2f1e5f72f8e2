package org.rollupnode.execution.evm.state;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.evm.frame.Code;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.StateView;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * The state one transaction executes against: accounts are loaded from a {@link StateView} on
 * first use and changed in place, and every change is journaled so a failing call frame can be
 * rolled back to its snapshot. Warm sets (EIP-2929), transient storage (EIP-1153), logs and the
 * refund counter are journaled too. {@link #commitTo} applies the EIP-161/EIP-6780 end-of-
 * transaction rules and writes the result into a {@link StateOverlay}.
 */
public final class JournaledState {
    private final StateView base;
    private final Map<Address, EvmAccount> accounts = new HashMap<>();
    private final ArrayList<Runnable> journal = new ArrayList<>();
    private final Set<Address> warmAddresses = new HashSet<>();
    private final Map<Address, Set<Hash32>> warmSlots = new HashMap<>();
    private final Map<Address, Map<Hash32, Hash32>> transientStorage = new HashMap<>();
    private final ArrayList<Log> logs = new ArrayList<>();
    private long refund;

    public JournaledState(StateView base) {
        this.base = base;
    }

    private EvmAccount get(Address a) {
        EvmAccount acc = accounts.get(a);
        if (acc == null) {
            acc = new EvmAccount(a, base.accountOrNull(a));
            accounts.put(a, acc);
        }
        return acc;
    }

    // ---- snapshots ----

    public int snapshot() {
        return journal.size();
    }

    public void revertTo(int snapshot) {
        for (int i = journal.size() - 1; i >= snapshot; i--) {
            journal.remove(i).run();
        }
    }

    private void touch(EvmAccount acc) {
        if (!acc.touched) {
            acc.touched = true;
            journal.add(() -> acc.touched = false);
        }
    }

    // ---- accounts ----

    public boolean exists(Address a) {
        return get(a).exists();
    }

    /** EIP-161 "dead": absent or empty. */
    public boolean isEmpty(Address a) {
        EvmAccount acc = get(a);
        return !acc.exists() || acc.isEmpty();
    }

    public BigInteger balance(Address a) {
        return get(a).balance;
    }

    public void setBalance(Address a, BigInteger value) {
        EvmAccount acc = get(a);
        BigInteger old = acc.balance;
        touch(acc);
        acc.balance = value;
        journal.add(() -> acc.balance = old);
    }

    public void addBalance(Address a, BigInteger amount) {
        setBalance(a, get(a).balance.add(amount));
    }

    public void subtractBalance(Address a, BigInteger amount) {
        setBalance(a, get(a).balance.subtract(amount));
    }

    /** A zero-value balance change: marks the account touched for EIP-161 without changing it. */
    public void touch(Address a) {
        touch(get(a));
    }

    public long nonce(Address a) {
        return get(a).nonce;
    }

    public void setNonce(Address a, long nonce) {
        EvmAccount acc = get(a);
        long old = acc.nonce;
        touch(acc);
        acc.nonce = nonce;
        journal.add(() -> acc.nonce = old);
    }

    public Hash32 codeHash(Address a) {
        return get(a).codeHash;
    }

    public Code code(Address a) {
        EvmAccount acc = get(a);
        if (acc.code == null) {
            acc.code = acc.codeHash.equals(Account.EMPTY_CODE_HASH) ? Code.EMPTY
                    : CodeCache.get(acc.codeHash, base);
        }
        return acc.code;
    }

    public void setCode(Address a, byte[] code) {
        EvmAccount acc = get(a);
        Hash32 oldHash = acc.codeHash;
        Code oldCode = acc.code;
        boolean oldChanged = acc.codeChanged;
        touch(acc);
        acc.codeHash = code.length == 0 ? Account.EMPTY_CODE_HASH : Keccak.hash(code);
        acc.code = code.length == 0 ? Code.EMPTY : new Code(code, acc.codeHash);
        acc.codeChanged = true;
        journal.add(() -> {
            acc.codeHash = oldHash;
            acc.code = oldCode;
            acc.codeChanged = oldChanged;
        });
    }

    /** Whether creating a contract here collides (EIP-684, EIP-7610): nonce, code or storage present. */
    public boolean hasCollision(Address a) {
        EvmAccount acc = get(a);
        if (acc.nonce != 0 || !acc.codeHash.equals(Account.EMPTY_CODE_HASH)) {
            return true;
        }
        if (!acc.baseStorageRoot.equals(MerklePatriciaTrie.EMPTY_ROOT)) {
            return true;
        }
        for (Hash32 v : acc.storage.values()) {
            if (!v.equals(Hash32.ZERO)) {
                return true;
            }
        }
        return false;
    }

    /** Marks a contract created in this transaction (EIP-6780 scope); keeps any balance already there. */
    public void markCreated(Address a) {
        EvmAccount acc = get(a);
        boolean old = acc.createdInTx;
        touch(acc);
        acc.createdInTx = true;
        journal.add(() -> acc.createdInTx = old);
    }

    public boolean createdInTx(Address a) {
        return get(a).createdInTx;
    }

    public void selfDestruct(Address a) {
        EvmAccount acc = get(a);
        boolean old = acc.selfDestructed;
        BigInteger oldBalance = acc.balance;
        touch(acc);
        acc.selfDestructed = true;
        acc.balance = BigInteger.ZERO;
        journal.add(() -> {
            acc.selfDestructed = old;
            acc.balance = oldBalance;
        });
    }

    // ---- storage ----

    public Hash32 originalStorage(Address a, Hash32 key) {
        EvmAccount acc = get(a);
        Hash32 v = acc.original.get(key);
        if (v == null) {
            v = acc.existed ? base.storageAt(a, key) : Hash32.ZERO;
            acc.original.put(key, v);
        }
        return v;
    }

    public Hash32 storage(Address a, Hash32 key) {
        EvmAccount acc = get(a);
        Hash32 v = acc.storage.get(key);
        return v != null ? v : originalStorage(a, key);
    }

    public void setStorage(Address a, Hash32 key, Hash32 value) {
        EvmAccount acc = get(a);
        Hash32 old = acc.storage.get(key);
        touch(acc);
        acc.storage.put(key, value);
        journal.add(() -> {
            if (old == null) {
                acc.storage.remove(key);
            } else {
                acc.storage.put(key, old);
            }
        });
    }

    public Hash32 transientStorage(Address a, Hash32 key) {
        Map<Hash32, Hash32> m = transientStorage.get(a);
        Hash32 v = m == null ? null : m.get(key);
        return v == null ? Hash32.ZERO : v;
    }

    public void setTransientStorage(Address a, Hash32 key, Hash32 value) {
        Map<Hash32, Hash32> m = transientStorage.computeIfAbsent(a, k -> new HashMap<>());
        Hash32 old = m.put(key, value);
        journal.add(() -> {
            if (old == null) {
                m.remove(key);
            } else {
                m.put(key, old);
            }
        });
    }

    // ---- EIP-2929 access lists ----

    public boolean isWarm(Address a) {
        return warmAddresses.contains(a);
    }

    /** Warms the address; returns true when it was cold. */
    public boolean warm(Address a) {
        if (warmAddresses.add(a)) {
            journal.add(() -> warmAddresses.remove(a));
            return true;
        }
        return false;
    }

    /** Warms the slot; returns true when it was cold. */
    public boolean warmSlot(Address a, Hash32 key) {
        Set<Hash32> s = warmSlots.computeIfAbsent(a, k -> new HashSet<>());
        if (s.add(key)) {
            journal.add(() -> s.remove(key));
            return true;
        }
        return false;
    }

    // ---- logs and refunds ----

    public void addLog(Log log) {
        logs.add(log);
        journal.add(() -> logs.remove(logs.size() - 1));
    }

    public List<Log> logs() {
        return List.copyOf(logs);
    }

    public long refund() {
        return refund;
    }

    public void addRefund(long delta) {
        if (delta == 0) {
            return;
        }
        refund += delta;
        journal.add(() -> refund -= delta);
    }

    // ---- end of transaction ----

    /**
     * Deletes self-destructed accounts and touched empty ones (EIP-161), then writes every
     * changed account, its code and its storage into {@code target}.
     */
    public void commitTo(StateOverlay target) {
        for (EvmAccount acc : accounts.values()) {
            if (!acc.touched && acc.storage.isEmpty()) {
                continue;
            }
            if (acc.selfDestructed || acc.isEmpty()) {
                if (acc.existed || acc.touched) {
                    target.putAccount(acc.address, Account.EMPTY);
                }
                continue;
            }
            if (acc.codeChanged) {
                target.putCode(acc.address, acc.code.bytes(), acc.codeHash);
            }
            Account current = target.account(acc.address);
            target.putAccount(acc.address, new Account(acc.nonce, acc.balance, current.storageRoot(), acc.codeHash));
            for (var e : acc.storage.entrySet()) {
                target.putStorage(acc.address, e.getKey(), e.getValue());
            }
        }
    }
}
