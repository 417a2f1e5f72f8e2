package org.rollupnode.execution.state;

import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/** Read access to accounts, storage and code: a committed snapshot or a block being built. */
public interface StateView {
    /** The account, or {@link Account#EMPTY} when it does not exist. */
    Account account(Address address);

    /** The account, or null when it does not exist (EIP-161 distinguishes absent from empty). */
    Account accountOrNull(Address address);

    /** A storage word as a 32-byte big-endian value (zero when unset). */
    Hash32 storageAt(Address address, Hash32 slot);

    /** The bytecode with this hash (empty for the empty-code hash). */
    byte[] codeByHash(Hash32 codeHash);

    default byte[] code(Address address) {
        return codeByHash(account(address).codeHash());
    }
}
