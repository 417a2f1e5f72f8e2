package org.rollupnode.execution.evm.precompile;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rollupnode.execution.types.Address;

/**
 * The precompile sets by rule set. Presence in the map is what makes an address a precompile
 * (warm under EIP-2929), including addresses whose call always fails.
 */
public final class PrecompileSet {
    private PrecompileSet() {}

    /** Ethereum Cancun: 0x01-0x0a. P256VERIFY is an Osaka addition, so it is not here. */
    public static Map<Address, Precompile> cancun() {
        Map<Address, Precompile> m = new LinkedHashMap<>();
        m.put(address(0x01), new EcRecover());
        m.put(address(0x02), new Sha256());
        m.put(address(0x03), new Ripemd160());
        m.put(address(0x04), new Identity());
        m.put(address(0x05), new ModExp(ModExp.Rules.EIP2565));
        m.put(address(0x06), new Bn254Add());
        m.put(address(0x07), new Bn254Mul());
        m.put(address(0x08), new Bn254Pairing(0));
        m.put(address(0x09), new Blake2F());
        m.put(address(0x0a), new PointEvaluation());
        return Map.copyOf(m);
    }

    /**
     * Scroll Galileo / GalileoV2 (scroll-rules.md §3): RIPEMD-160 and BLAKE2F present but always
     * failing, modexp with EIP-7823 limits and EIP-7883 pricing, pairing without a pair limit, no
     * point evaluation (0x0a is an ordinary account), P256VERIFY at 6900 gas (EIP-7951).
     */
    public static Map<Address, Precompile> scrollGalileo() {
        Map<Address, Precompile> m = new LinkedHashMap<>();
        m.put(address(0x01), new EcRecover());
        m.put(address(0x02), new Sha256());
        m.put(address(0x03), new AlwaysFails("ripemd160"));
        m.put(address(0x04), new Identity());
        m.put(address(0x05), new ModExp(ModExp.Rules.EIP7883));
        m.put(address(0x06), new Bn254Add());
        m.put(address(0x07), new Bn254Mul());
        m.put(address(0x08), new Bn254Pairing(0));
        m.put(address(0x09), new AlwaysFails("blake2f"));
        m.put(address(0x100), new P256Verify(P256Verify.GAS_EIP7951));
        return Map.copyOf(m);
    }

    /** The address whose value, as a 160-bit number, is n. */
    public static Address address(int n) {
        byte[] a = new byte[Address.LENGTH];
        a[18] = (byte) (n >>> 8);
        a[19] = (byte) n;
        return Address.wrap(a);
    }
}
