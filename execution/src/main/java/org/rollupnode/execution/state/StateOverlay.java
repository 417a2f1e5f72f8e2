package org.rollupnode.execution.state;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * Uncommitted changes on top of a {@link WorldState}: a block being built, or one transaction
 * within it. Discarding an overlay is the rollback; {@link #mergeInto()} folds a transaction's
 * changes into its block, and {@link #commit()} turns a block's changes into the next snapshot.
 */
public final class StateOverlay implements StateView {
    private final WorldState base;
    private final StateOverlay parent;
    private final Map<Address, Account> accounts = new LinkedHashMap<>();
    private final Map<Address, Map<Hash32, Hash32>> storage = new HashMap<>();
    private final Map<Hash32, byte[]> code = new HashMap<>();

    public StateOverlay(WorldState base) {
        this(base, null);
    }

    private StateOverlay(WorldState base, StateOverlay parent) {
        this.base = base;
        this.parent = parent;
    }

    public StateOverlay child() {
        return new StateOverlay(base, this);
    }

    @Override
    public Account account(Address a) {
        Account mine = accounts.get(a);
        if (mine != null) {
            return mine;
        }
        return parent != null ? parent.account(a) : base.account(a);
    }

    /**
     * Null when the account does not exist. An account written here as empty with no storage
     * counts as deleted: committing removes it (EIP-161).
     */
    @Override
    public Account accountOrNull(Address a) {
        Account mine = accounts.get(a);
        if (mine != null) {
            return mine.isEmpty() && mine.storageRoot().equals(MerklePatriciaTrie.EMPTY_ROOT) ? null : mine;
        }
        return parent != null ? parent.accountOrNull(a) : base.accountOrNull(a);
    }

    @Override
    public byte[] codeByHash(Hash32 codeHash) {
        byte[] mine = code.get(codeHash);
        if (mine != null) {
            return mine;
        }
        return parent != null ? parent.codeByHash(codeHash) : base.codeByHash(codeHash);
    }

    /**
     * Whether this overlay or one it sits on has written the account or its storage, i.e. whether
     * reads of {@code a} may differ from {@link #base()}. Lets readers memoize per snapshot.
     */
    public boolean writes(Address a) {
        if (accounts.containsKey(a) || storage.containsKey(a)) {
            return true;
        }
        return parent != null && parent.writes(a);
    }

    /** The base snapshot this overlay (chain) sits on. */
    public WorldState base() {
        return base;
    }

    public void putAccount(Address a, Account account) {
        accounts.put(a, account);
    }

    public BigInteger balance(Address a) {
        return account(a).balance();
    }

    public void addBalance(Address a, BigInteger amount) {
        Account acc = account(a);
        putAccount(a, acc.withBalance(acc.balance().add(amount)));
    }

    public void subtractBalance(Address a, BigInteger amount) {
        Account acc = account(a);
        BigInteger next = acc.balance().subtract(amount);
        if (next.signum() < 0) {
            throw new IllegalStateException("balance of " + a + " would become negative");
        }
        putAccount(a, acc.withBalance(next));
    }

    @Override
    public Hash32 storageAt(Address a, Hash32 slot) {
        Map<Hash32, Hash32> m = storage.get(a);
        if (m != null && m.containsKey(slot)) {
            return m.get(slot);
        }
        return parent != null ? parent.storageAt(a, slot) : base.storageAt(a, slot);
    }

    public void putStorage(Address a, Hash32 slot, Hash32 value) {
        storage.computeIfAbsent(a, k -> new HashMap<>()).put(slot, value);
    }

    public void putCode(Address a, byte[] bytecode, Hash32 codeHash) {
        code.put(codeHash, bytecode.clone());
        Account acc = account(a);
        putAccount(a, new Account(acc.nonce(), acc.balance(), acc.storageRoot(), codeHash));
    }

    /** Folds this (transaction) overlay into its parent (block) overlay. */
    public void mergeInto() {
        if (parent == null) {
            throw new IllegalStateException("a root overlay is committed, not merged");
        }
        parent.accounts.putAll(accounts);
        storage.forEach((a, m) -> parent.storage.computeIfAbsent(a, k -> new HashMap<>()).putAll(m));
        parent.code.putAll(code);
    }

    /** The next snapshot. Only valid on a root overlay. */
    public WorldState commit() {
        if (parent != null) {
            throw new IllegalStateException("merge a child overlay into its parent before committing");
        }
        return base.apply(accounts, storage, code);
    }
}
