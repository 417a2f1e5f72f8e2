package org.rollupnode.execution.state;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
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

    private WorldState(MerklePatriciaTrie accounts, Map<Address, MerklePatriciaTrie> storage, Map<Hash32, byte[]> code) {
        this.accounts = accounts;
        this.storage = storage;
        this.code = code;
    }

    public static WorldState empty() {
        return new WorldState(MerklePatriciaTrie.empty(), Map.of(), Map.of());
    }

    @Override
    public Account account(Address address) {
        Account a = accountOrNull(address);
        return a == null ? Account.EMPTY : a;
    }

    @Override
    public Account accountOrNull(Address address) {
        byte[] raw = accounts.get(Keccak.hash256(address.unsafeBytes()));
        return raw == null ? null : Account.decode(raw);
    }

    @Override
    public byte[] codeByHash(Hash32 codeHash) {
        byte[] c = code.get(codeHash);
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
        Account a = account(address);
        byte[] c = code.get(a.codeHash());
        return c == null ? new byte[0] : c.clone();
    }

    /** A storage word as a 32-byte big-endian value (zero when unset). */
    @Override
    public Hash32 storageAt(Address address, Hash32 slot) {
        MerklePatriciaTrie t = storage.get(address);
        if (t == null) {
            return Hash32.ZERO;
        }
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
            MerklePatriciaTrie t = nextStorage.getOrDefault(e.getKey(), MerklePatriciaTrie.empty());
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
            byte[] key = Keccak.hash256(e.getKey().unsafeBytes());
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
        return new WorldState(nextAccounts, nextStorage, nextCode);
    }
}
