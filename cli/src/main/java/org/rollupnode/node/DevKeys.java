package org.rollupnode.node;

import java.math.BigInteger;
import org.rollupnode.execution.crypto.Keccak;

/**
 * The fixed block-signing key of {@code --test}: keccak256("rollup-node-java dev signer"). It is
 * public (README) and so worthless, which is the point: {@code --test} is refused on mainnet.
 */
public final class DevKeys {
    public static final BigInteger DEV_SIGNER_KEY = new BigInteger(1, Keccak.hash256("rollup-node-java dev signer".getBytes()));

    private DevKeys() {}
}
