package org.rollupnode.execution.state;

import java.math.BigInteger;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpItem;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.types.Hash32;

/**
 * An account as stored in the state trie: rlp([nonce, balance, storageRoot, codeHash]). The nonce
 * is an unsigned 64-bit value held in a long (EIP-2681 allows up to 2^64-1).
 */
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
        return Rlp.encodeList(encodeU64(nonce), Rlp.encodeBigInteger(balance),
                Rlp.encodeBytes(storageRoot.unsafeBytes()), Rlp.encodeBytes(codeHash.unsafeBytes()));
    }

    public static Account decode(byte[] rlp) {
        var items = Rlp.decode(rlp).list();
        return new Account(decodeU64(items.get(0).bytes()), items.get(1).asBigInteger(), items.get(2).asHash(), items.get(3).asHash());
    }

    public static byte[] encodeU64(long unsigned) {
        return unsigned >= 0 ? Rlp.encodeLong(unsigned) : Rlp.encodeBigInteger(new BigInteger(Long.toUnsignedString(unsigned)));
    }

    private static long decodeU64(byte[] b) {
        if (b.length > 8 || (b.length > 0 && b[0] == 0)) {
            throw new org.rollupnode.execution.rlp.RlpException("account nonce is not a canonical 64-bit scalar");
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }
}
