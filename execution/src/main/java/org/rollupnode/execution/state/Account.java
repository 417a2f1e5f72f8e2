package org.rollupnode.execution.state;

import java.math.BigInteger;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpItem;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.types.Hash32;

/** An account as stored in the state trie: rlp([nonce, balance, storageRoot, codeHash]). */
public record Account(long nonce, BigInteger balance, Hash32 storageRoot, Hash32 codeHash) {
    public static final Hash32 EMPTY_CODE_HASH = Keccak.hash(new byte[0]);
    public static final Account EMPTY = new Account(0, BigInteger.ZERO, MerklePatriciaTrie.EMPTY_ROOT, EMPTY_CODE_HASH);

    public boolean isEmpty() {
        return nonce == 0 && balance.signum() == 0 && codeHash.equals(EMPTY_CODE_HASH);
    }

    public boolean hasCode() {
        return !codeHash.equals(EMPTY_CODE_HASH);
    }

    public Account withNonce(long n) {
        return new Account(n, balance, storageRoot, codeHash);
    }

    public Account withBalance(BigInteger b) {
        return new Account(nonce, b, storageRoot, codeHash);
    }

    public Account withStorageRoot(Hash32 root) {
        return new Account(nonce, balance, root, codeHash);
    }

    public byte[] rlp() {
        return Rlp.encodeList(Rlp.encodeLong(nonce), Rlp.encodeBigInteger(balance),
                Rlp.encodeBytes(storageRoot.unsafeBytes()), Rlp.encodeBytes(codeHash.unsafeBytes()));
    }

    public static Account decode(byte[] rlp) {
        var items = Rlp.decode(rlp).list();
        return new Account(items.get(0).asLong(), items.get(1).asBigInteger(), items.get(2).asHash(), items.get(3).asHash());
    }
}
