package org.rollupnode.execution.state;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.trie.TrieDelta;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * An immutable snapshot of the world state after some block. Built on persistent tries, so
 * keeping the snapshot of every recent block costs only the changed paths, and readers (RPC)
 * never block the writer.
 */
public final class WorldState implements StateView {
    private final MerklePatriciaTrie accounts;
    private final Map<Address, MerklePatriciaTrie> storage; // never mutated after construction
    private final Map<Hash32, byte[]> code;
    /** Where tries and code not in memory are read from; null for a state held wholly in memory. */
    private final StateSource source;

    private WorldState(MerklePatriciaTrie accounts, Map<Address, MerklePatriciaTrie> storage, Map<Hash32, byte[]> code,
                       StateSource source) {
        this.accounts = accounts;
        this.storage = storage;
        this.code = code;
        this.source = source;
    }

    public static WorldState empty() {
        return new WorldState(MerklePatriciaTrie.empty(), Map.of(), Map.of(), null);
    }

    /**
     * The state with this root, read from {@code source} as it is used: opening it costs nothing,
     * each lookup reads the nodes on its path. States derived from it keep reading from the source.
     */
    public static WorldState load(Hash32 stateRoot, StateSource source) {
        java.util.Objects.requireNonNull(source, "state source");
        return new WorldState(MerklePatriciaTrie.load(stateRoot, source), Map.of(), Map.of(), source);
    }

    /**
     * Adds to {@code delta} the trie nodes of this state (accounts and every storage trie changed
     * in memory) that the store does not have yet, and puts into {@code codeOut} the code
     * deployed since the state was loaded (the caller skips what it has written before).
     */
    public void collectUnstored(TrieDelta delta, Map<Hash32, byte[]> codeOut) {
        accounts.collectUnstored(delta);
        for (MerklePatriciaTrie t : storage.values()) {
            t.collectUnstored(delta);
        }
        codeOut.putAll(code);
    }

    /** The storage trie of {@code address} in this state (empty when it has none). */
    private MerklePatriciaTrie storageTrie(Address address) {
        MerklePatriciaTrie t = storage.get(address);
        if (t != null) {
            return t;
        }
        if (source == null) {
            return MerklePatriciaTrie.empty();
        }
        Hash32 root = account(address).storageRoot();
        return root.equals(MerklePatriciaTrie.EMPTY_ROOT) ? MerklePatriciaTrie.empty() : source.storageTrie(root);
    }

    @Override
    public Account account(Address address) {
        Account a = accountOrNull(address);
        return a == null ? Account.EMPTY : a;
    }

    @Override
    public Account accountOrNull(Address address) {
        byte[] raw = accounts.get(address.unsafeKeccak());
        return raw == null ? null : Account.decode(raw);
    }

    @Override
    public byte[] codeByHash(Hash32 codeHash) {
        byte[] c = code.get(codeHash);
        if (c == null && source != null && !codeHash.equals(Account.EMPTY_CODE_HASH)) {
            c = source.code(codeHash);
        }
        return c == null ? new byte[0] : c;
    }

    public BigInteger balance(Address address) {
        return account(address).balance();
    }

    public long nonce(Address address) {
        return account(address).nonce();
    }

    @Override
    public byte[] code(Address address) {
        return codeByHash(account(address).codeHash()).clone();
    }

    /** A storage word as a 32-byte big-endian value (zero when unset). */
    @Override
    public Hash32 storageAt(Address address, Hash32 slot) {
        MerklePatriciaTrie t = storageTrie(address);
        byte[] raw = t.get(Keccak.hash256(slot.unsafeBytes()));
        if (raw == null) {
            return Hash32.ZERO;
        }
        byte[] v = Rlp.decode(raw).bytes();
        byte[] word = new byte[32];
        System.arraycopy(v, 0, word, 32 - v.length, v.length);
        return Hash32.wrap(word);
    }

    public Hash32 stateRoot() {
        return accounts.rootHash();
    }

    /** Applies a set of changes, producing the next snapshot. */
    WorldState apply(Map<Address, Account> changedAccounts, Map<Address, Map<Hash32, Hash32>> changedStorage,
                     Map<Hash32, byte[]> newCode) {
        Map<Address, MerklePatriciaTrie> nextStorage = changedStorage.isEmpty() ? storage : new HashMap<>(storage);
        Map<Address, Account> accountsToWrite = new HashMap<>(changedAccounts);
        for (var e : changedStorage.entrySet()) {
            MerklePatriciaTrie t = nextStorage.get(e.getKey());
            if (t == null) {
                t = storageTrie(e.getKey());
            }
            for (var w : e.getValue().entrySet()) {
                byte[] key = Keccak.hash256(w.getKey().unsafeBytes());
                byte[] value = Rlp.minimalBytes(new BigInteger(1, w.getValue().unsafeBytes()));
                t = value.length == 0 ? t.remove(key) : t.put(key, Rlp.encodeBytes(value));
            }
            nextStorage.put(e.getKey(), t);
            Account base = accountsToWrite.getOrDefault(e.getKey(), account(e.getKey()));
            accountsToWrite.put(e.getKey(), base.withStorageRoot(t.rootHash()));
        }
        MerklePatriciaTrie nextAccounts = accounts;
        for (var e : accountsToWrite.entrySet()) {
            byte[] key = e.getKey().unsafeKeccak();
            Account a = e.getValue();
            // EIP-161: empty accounts are deleted rather than stored.
            nextAccounts = a.isEmpty() && a.storageRoot().equals(MerklePatriciaTrie.EMPTY_ROOT)
                    ? nextAccounts.remove(key) : nextAccounts.put(key, a.rlp());
        }
        Map<Hash32, byte[]> nextCode = code;
        if (!newCode.isEmpty()) {
            nextCode = new HashMap<>(code);
            nextCode.putAll(newCode);
        }
        return new WorldState(nextAccounts, nextStorage, nextCode, source);
    }
}
