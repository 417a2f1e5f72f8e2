package org.rollupnode.execution.fee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.types.Hash32;

class OracleSlotsTest {

    private static Hash32 word(long v) {
        return Hash32.fromHex(String.format("0x%064x", v));
    }

    @Test
    void readsEachFieldFromItsOwnSlot() {
        Map<Hash32, Hash32> storage = new HashMap<>();
        for (int slot = 0; slot <= 13; slot++) {
            storage.put(word(slot), word(1000 + slot)); // slot n holds 1000+n
        }
        OracleSlots s = OracleSlots.read(storage::get);
        assertEquals(BigInteger.valueOf(1001), s.l1BaseFee());
        assertEquals(BigInteger.valueOf(1002), s.overhead());
        assertEquals(BigInteger.valueOf(1003), s.scalar());
        assertEquals(BigInteger.valueOf(1005), s.l1BlobBaseFee());
        assertEquals(BigInteger.valueOf(1006), s.commitScalar());
        assertEquals(BigInteger.valueOf(1006), s.execScalar());
        assertEquals(BigInteger.valueOf(1007), s.blobScalar());
        assertEquals(BigInteger.valueOf(1008), s.isCurie());
        assertEquals(BigInteger.valueOf(1009), s.penaltyThreshold());
        assertEquals(BigInteger.valueOf(1010), s.penaltyFactor());
        assertEquals(BigInteger.valueOf(1011), s.isFeynman());
        assertEquals(BigInteger.valueOf(1012), s.isGalileo());
    }

    @Test
    void wordsAreUnsigned256BitAndUnsetSlotsAreZero() {
        Hash32 allOnes = Hash32.fromHex("0x" + "ff".repeat(32));
        OracleSlots s = OracleSlots.read(k -> k.equals(word(1)) ? allOnes : null);
        assertEquals(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), s.l1BaseFee());
        assertEquals(BigInteger.ZERO, s.penaltyFactor());
    }

    @Test
    void devGenesisOracleSlotsAreScrollRethsDevValues() {
        ChainSpec dev = ChainSpecs.byName("dev");
        Map<Hash32, Hash32> storage = dev.genesisAlloc().get(OracleSlots.L1_GAS_PRICE_ORACLE).storage();
        OracleSlots s = OracleSlots.read(storage::get);
        // scroll-rules.md §9 (scroll-reth res/genesis/dev.json)
        assertEquals(new BigInteger("3758e6b0", 16), s.l1BaseFee());
        assertEquals(new BigInteger("38", 16), s.overhead());
        assertEquals(new BigInteger("3e95ba80", 16), s.scalar());
        assertEquals(new BigInteger("8390c2c1", 16), s.l1BlobBaseFee());
        assertEquals(new BigInteger("69cf265bfe", 16), s.commitScalar());
        assertEquals(new BigInteger("168b9aa3", 16), s.blobScalar());
        assertEquals(BigInteger.ZERO, s.penaltyThreshold());
        assertEquals(BigInteger.ZERO, s.penaltyFactor());
        assertEquals(BigInteger.ZERO, s.isCurie());
        assertEquals(BigInteger.ZERO, s.isFeynman());
        assertEquals(BigInteger.ZERO, s.isGalileo());
    }

    @Test
    void devGenesisGalileoFeeForA100ByteCompressedTx() {
        Map<Hash32, Hash32> storage = ChainSpecs.byName("dev").genesisAlloc().get(OracleSlots.L1_GAS_PRICE_ORACLE).storage();
        OracleSlots s = OracleSlots.read(storage::get);
        // l1BaseFee 0x3758e6b0 = 928_573_104, blob fee 0x8390c2c1 = 2_207_302_337,
        // exec 0x69cf265bfe = 454_446_963_710, blob scalar 0x168b9aa3 = 378_247_843; pf unset → 1.
        // exec·l1BaseFee  = 454_446_963_710 · 928_573_104 = 421_987_227_695_570_055_840
        // blob·blobFee    = 378_247_843 · 2_207_302_337   =     834_907_347_819_109_091
        // feePerByte      = 422_822_135_043_389_164_931
        // base  = fpb · 100 = 42_282_213_504_338_916_493_100
        // pen   = base · 100 / 1 = 4_228_221_350_433_891_649_310_000
        // fee   = (base + pen) / 1e9 = 4_270_503_563_938_230_565_803_100 / 1e9 = 4_270_503_563_938_230
        assertEquals(new BigInteger("4270503563938230"), ScrollL1Fee.galileoForCompressedSize(100, s));
    }

    @Test
    void outOfRangeValuesAreRejected() {
        BigInteger z = BigInteger.ZERO;
        assertThrows(IllegalArgumentException.class,
                () -> new OracleSlots(BigInteger.valueOf(-1), z, z, z, z, z, z, z, z, z, z));
        assertThrows(IllegalArgumentException.class,
                () -> new OracleSlots(BigInteger.ONE.shiftLeft(256), z, z, z, z, z, z, z, z, z, z));
        assertThrows(NullPointerException.class, () -> new OracleSlots(null, z, z, z, z, z, z, z, z, z, z));
    }
}
