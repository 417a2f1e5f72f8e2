package org.rollupnode.execution.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rollupnode.execution.rlp.RlpException;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

class ReceiptTest {
    private static final String ZERO_BLOOM = "b90100" + "00".repeat(256);

    /** rlp([0x01, 21000, bloom, []]): payload 1 + 3 + 259 + 1 = 264 = 0x0108 bytes. */
    @Test
    void legacySuccessEncodingByHand() {
        Receipt r = new Receipt(Receipt.LEGACY, true, 21000, List.of());
        assertEquals("0xf90108" + "01" + "825208" + ZERO_BLOOM + "c0", Hex.encode(r.encode()));
    }

    /** Typed: the type byte, then the same list; a failure status is the empty string 0x80. */
    @Test
    void typedFailureEncodingByHand() {
        Receipt r = new Receipt(Receipt.DYNAMIC_FEE, false, 21000, List.of());
        assertEquals("0x02f90108" + "80" + "825208" + ZERO_BLOOM + "c0", Hex.encode(r.encode()));
        Receipt l1 = new Receipt(Receipt.L1_MESSAGE, true, 0, List.of());
        assertEquals("0x7ef90106" + "01" + "80" + ZERO_BLOOM + "c0", Hex.encode(l1.encode()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4, 0x7e})
    void roundTripsEveryType(int type) {
        Log a = new Log(Address.fromHex("0x5300000000000000000000000000000000000000"),
                List.of(Hash32.fromHex("0x" + "11".repeat(32)), Hash32.fromHex("0x" + "22".repeat(32))),
                Hex.decode("0xdeadbeef"));
        Log b = new Log(Address.fromHex("0x0000000000000000000000000000000000000001"), List.of(), new byte[0]);
        Receipt r = new Receipt(type, type % 2 == 0, 123_456_789L, List.of(a, b));
        Receipt back = Receipt.decode(r.encode());
        assertEquals(r, back);
        assertEquals(type, back.type());
        assertEquals(r.bloom(), back.bloom());
        assertEquals(List.of(a, b), back.logs());
        assertTrue(back.bloom().mightContain(a.address().toArray()));
    }

    @Test
    void rejectsBlobAndUnknownTypes() {
        assertThrows(IllegalArgumentException.class, () -> new Receipt(3, true, 0, List.of()));
        assertThrows(RlpException.class, () -> Receipt.decode(Hex.decode("0x03f90108" + "01" + "825208" + ZERO_BLOOM + "c0")));
        // 0x00 is not a valid type prefix: legacy receipts are the bare list.
        assertThrows(RlpException.class, () -> Receipt.decode(Hex.decode("0x00f90108" + "01" + "825208" + ZERO_BLOOM + "c0")));
        assertThrows(RlpException.class, () -> Receipt.decode(new byte[0]));
    }

    @Test
    void rejectsMalformedStatusBloomAndShape() {
        // status 0x02
        assertThrows(RlpException.class, () -> Receipt.decode(Hex.decode("0xf90108" + "02" + "825208" + ZERO_BLOOM + "c0")));
        // pre-Byzantium: a 32-byte state root where the status goes
        String root = "a0" + "ab".repeat(32);
        assertThrows(RlpException.class, () -> Receipt.decode(Hex.decode("0xf90127" + root + "825208" + ZERO_BLOOM + "c0")));
        // bloom bit set although there are no logs
        String badBloom = "b90100" + "00".repeat(255) + "01";
        assertThrows(RlpException.class, () -> Receipt.decode(Hex.decode("0xf90108" + "01" + "825208" + badBloom + "c0")));
        // three fields
        assertThrows(RlpException.class, () -> Receipt.decode(Hex.decode("0xf90107" + "01" + "825208" + ZERO_BLOOM)));
    }
}
