package org.rollupnode.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Address;

class AuthorizedSignerPolicyTest {
    private static final Address FLAG = Address.fromHex("0x" + "12".repeat(20));

    @Test
    void theFlagTakesPrecedenceOverL1ThenL1OverTheOwnKey() {
        assertEquals(AuthorizedSignerPolicy.flag(FLAG), AuthorizedSignerPolicy.choose(FLAG, true));
        assertEquals(AuthorizedSignerPolicy.flag(FLAG), AuthorizedSignerPolicy.choose(FLAG, false));
        assertEquals(AuthorizedSignerPolicy.Source.L1, AuthorizedSignerPolicy.choose(null, true).source());
        assertNull(AuthorizedSignerPolicy.choose(null, true).fixed());
        assertEquals(AuthorizedSignerPolicy.Source.OWN_KEY, AuthorizedSignerPolicy.choose(null, false).source());
    }

    @Test
    void anAddressGoesWithTheFlagOnly() {
        assertThrows(IllegalArgumentException.class, () -> new AuthorizedSignerPolicy(AuthorizedSignerPolicy.Source.FLAG, null));
        assertThrows(IllegalArgumentException.class, () -> new AuthorizedSignerPolicy(AuthorizedSignerPolicy.Source.L1, FLAG));
    }
}
