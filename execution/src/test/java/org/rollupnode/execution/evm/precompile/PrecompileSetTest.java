package org.rollupnode.execution.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Address;

/** The per-fork sets: which addresses exist and the Scroll differences of scroll-rules.md §3. */
class PrecompileSetTest {
    private static Address a(String hex) {
        return Address.fromHex(hex);
    }

    @Test
    void cancunHasOneToTenAndNoP256() {
        Set<String> keys = PrecompileSet.cancun().keySet().stream().map(Address::toHex).collect(Collectors.toSet());
        assertEquals(10, keys.size());
        for (int i = 1; i <= 10; i++) {
            assertTrue(keys.contains(String.format("0x%040x", i)), "0x" + i);
        }
        assertFalse(PrecompileSet.cancun().containsKey(a("0x0000000000000000000000000000000000000100")));
    }

    @Test
    void scrollGalileoAddresses() {
        Map<Address, Precompile> m = PrecompileSet.scrollGalileo();
        assertEquals(10, m.size());
        assertFalse(m.containsKey(a("0x000000000000000000000000000000000000000a")), "no point evaluation");
        assertTrue(m.containsKey(a("0x0000000000000000000000000000000000000003")), "ripemd stays warm");
        assertTrue(m.containsKey(a("0x0000000000000000000000000000000000000009")), "blake2f stays warm");
        assertTrue(m.containsKey(a("0x0000000000000000000000000000000000000100")));
    }

    @Test
    void scrollRipemdAndBlake2fAlwaysFail() {
        Map<Address, Precompile> m = PrecompileSet.scrollGalileo();
        Precompile ripemd = m.get(a("0x0000000000000000000000000000000000000003"));
        Precompile blake = m.get(a("0x0000000000000000000000000000000000000009"));
        assertFalse(ripemd.run(new byte[0]).success());
        assertFalse(ripemd.run("abc".getBytes()).success());
        GethVectors.Vector valid = GethVectors.load("blake2F.json").get(0);
        assertFalse(blake.run(valid.input()).success());
        // On Ethereum the same inputs succeed.
        assertTrue(PrecompileSet.cancun().get(a("0x0000000000000000000000000000000000000009")).run(valid.input()).success());
        assertTrue(PrecompileSet.cancun().get(a("0x0000000000000000000000000000000000000003")).run(new byte[0]).success());
    }

    @Test
    void scrollP256CostsEip7951Gas() {
        Precompile p = PrecompileSet.scrollGalileo().get(a("0x0000000000000000000000000000000000000100"));
        assertEquals(6900, p.gasCost(new byte[160]));
        GethVectors.Vector v = GethVectors.load("p256Verify.json").get(0);
        assertEquals(v.gas(), p.gasCost(v.input()));
        assertArrayEquals(v.expected(), p.run(v.input()).output());
    }

    @Test
    void modexpPricingFollowsTheFork() {
        Address modexp = a("0x0000000000000000000000000000000000000005");
        for (GethVectors.Vector v : GethVectors.load("modexp_eip7883.json")) {
            assertEquals(v.gas(), PrecompileSet.scrollGalileo().get(modexp).gasCost(v.input()), v.name());
        }
        for (GethVectors.Vector v : GethVectors.load("modexp_eip2565.json")) {
            assertEquals(v.gas(), PrecompileSet.cancun().get(modexp).gasCost(v.input()), v.name());
        }
    }

    @Test
    void mapsAreImmutable() {
        Map<Address, Precompile> m = PrecompileSet.scrollGalileo();
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> m.put(Address.ZERO, new Identity()));
    }
}
