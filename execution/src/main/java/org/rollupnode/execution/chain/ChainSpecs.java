package org.rollupnode.execution.chain;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rollupnode.execution.evm.EvmRules;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.MnemonicUtils;

/** The named chains {@code --chain} accepts. Facts from scroll-rules.md §8-9 and rust-node-spec.md §6. */
public final class ChainSpecs {
    public static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";
    /** 1,000,000 ETH, as in scroll-reth's dev genesis (0xD3C21BCECCEDA1000000 wei). */
    public static final BigInteger DEV_ACCOUNT_BALANCE = new BigInteger("D3C21BCECCEDA1000000", 16);
    public static final Address FEE_VAULT = Address.fromHex("0x5300000000000000000000000000000000000005");
    public static final Address L1_GAS_PRICE_ORACLE = Address.fromHex("0x5300000000000000000000000000000000000002");
    /** Scroll's default L2 base fee overhead when the L2 system config slot is unset. */
    public static final BigInteger DEFAULT_BASE_FEE_OVERHEAD = BigInteger.valueOf(15_680_000L);

    private static final List<String> NAMES = List.of("dev", "scroll-sepolia", "scroll-mainnet");

    private ChainSpecs() {}

    public static List<String> names() {
        return NAMES;
    }

    public static ChainSpec byName(String name) {
        return switch (name) {
            case "dev" -> dev();
            case "scroll-sepolia" -> new ChainSpec("scroll-sepolia", 534351, 0, 10_000_000, null, new byte[0], null,
                    20_000_000, FEE_VAULT, Address.fromHex("0xA0673eC0A48aa924f067F1274EcD281A10c5f19F"), 10, 122_880,
                    DEFAULT_BASE_FEE_OVERHEAD, Address.fromHex("0x687E0E85AD67ff71aC134CF61b65905b58Ab43b2"),
                    EvmRules.scrollGalileo());
            case "scroll-mainnet" -> new ChainSpec("scroll-mainnet", 534352, 0, 10_000_000, null, new byte[0], null,
                    20_000_000, FEE_VAULT, Address.fromHex("0x56971da63A3C0205184FEF096E9ddFc7A8C2D18a"), 10, 122_880,
                    DEFAULT_BASE_FEE_OVERHEAD, Address.fromHex("0xD83C4892BB5aA241B63d8C4C134920111E142A20"),
                    EvmRules.scrollGalileo());
            default -> throw new IllegalArgumentException("unknown chain '" + name + "': expected one of " + String.join(", ", NAMES));
        };
    }

    /** The private keys of the 20 funded dev accounts (BIP-44 m/44'/60'/0'/0/i of the dev mnemonic). */
    public static List<BigInteger> devPrivateKeys() {
        return DevKeys.KEYS;
    }

    private static final class DevKeys {
        static final List<BigInteger> KEYS = derive();

        private static List<BigInteger> derive() {
            Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(DEV_MNEMONIC, ""));
            BigInteger[] out = new BigInteger[20];
            for (int i = 0; i < 20; i++) {
                int[] path = {44 | Bip32ECKeyPair.HARDENED_BIT, 60 | Bip32ECKeyPair.HARDENED_BIT, Bip32ECKeyPair.HARDENED_BIT, 0, i};
                out[i] = Bip32ECKeyPair.deriveKeyPair(master, path).getPrivateKey();
            }
            return List.of(out);
        }
    }

    private static ChainSpec dev() {
        Map<Address, ChainSpec.GenesisAccount> alloc = new LinkedHashMap<>();
        for (BigInteger key : devPrivateKeys()) {
            Address a = Address.fromHex(Keys.getAddress(org.web3j.crypto.ECKeyPair.create(key)));
            alloc.put(a, new ChainSpec.GenesisAccount(DEV_ACCOUNT_BALANCE, 0, new byte[0], Map.of()));
        }
        // L1GasPriceOracle: storage only, no code, as in scroll-reth's dev genesis.
        Map<Hash32, Hash32> oracle = new LinkedHashMap<>();
        oracle.put(slot(1), word("3758e6b0"));
        oracle.put(slot(2), word("38"));
        oracle.put(slot(3), word("3e95ba80"));
        oracle.put(slot(4), word("5300000000000000000000000000000000000003"));
        oracle.put(slot(5), word("8390c2c1"));
        oracle.put(slot(6), word("69cf265bfe"));
        oracle.put(slot(7), word("168b9aa3"));
        alloc.put(L1_GAS_PRICE_ORACLE, new ChainSpec.GenesisAccount(BigInteger.ZERO, 0, new byte[0], oracle));
        return new ChainSpec("dev", 1337, 0x6490fdd2L, 20_000_000, BigInteger.ZERO, new byte[0], alloc,
                20_000_000, FEE_VAULT, Address.fromHex("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9"), 10, 122_880,
                DEFAULT_BASE_FEE_OVERHEAD, null, EvmRules.scrollGalileo());
    }

    private static Hash32 slot(long n) {
        return word(Long.toHexString(n));
    }

    private static Hash32 word(String hex) {
        String padded = "0".repeat(64 - hex.length()) + hex;
        return Hash32.fromHex(padded);
    }
}
