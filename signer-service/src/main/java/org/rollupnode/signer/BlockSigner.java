package org.rollupnode.signer;

import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/** Signs Scroll seal hashes. Implementations: a local key (file or --test), AWS KMS. */
public interface BlockSigner {
    Address address();

    /** 65 bytes r ‖ s ‖ v with v the y-parity (0 or 1) and s in the lower half of the curve order. */
    byte[] sign(Hash32 sealHash);
}
