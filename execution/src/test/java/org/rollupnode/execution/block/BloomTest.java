package org.rollupnode.execution.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

class BloomTest {

    /**
     * keccak256("") = c5d2 4601 86f7 …. The 11-bit indices are 0x5d2 = 1490, 0x601 = 1537 and
     * 0x6f7 = 1783; bit b lives in byte 255 - b/8 under mask 1 << (b % 8): byte 69 mask 0x04,
     * byte 63 mask 0x02, byte 33 mask 0x80.
     */
    @Test
    void setsTheThreeBitsOfTheYellowPaperRule() {
        byte[] expected = new byte[256];
        expected[69] = 0x04;
        expected[63] = 0x02;
        expected[33] = (byte) 0x80;
        assertArrayEquals(expected, Bloom.EMPTY.add(new byte[0]).toArray());
        assertArrayEquals(expected, Bloom.builder().add(new byte[0]).build().toArray());
    }

    @Test
    void immutableOperations() {
        Bloom a = Bloom.EMPTY.add(new byte[] {1});
        Bloom b = Bloom.EMPTY.add(new byte[] {2});
        Bloom ab = a.or(b);
        assertTrue(Bloom.EMPTY.isEmpty());
        assertFalse(a.isEmpty());
        assertTrue(ab.includes(a) && ab.includes(b));
        assertFalse(a.includes(ab));
        assertEquals(ab, Bloom.builder().add(new byte[] {1}).add(new byte[] {2}).build());
        assertEquals(ab, Bloom.fromBytes(ab.toArray()));
        assertTrue(ab.mightContain(new byte[] {1}));
        assertFalse(Bloom.EMPTY.mightContain(new byte[] {1}));
        byte[] leaked = a.toArray();
        leaked[0] = (byte) 0xff;
        assertEquals(Bloom.EMPTY.add(new byte[] {1}), a, "toArray must not expose the bits");
    }

    @Test
    void logBloomCoversAddressAndTopicsNotData() {
        Address addr = Address.fromHex("0x00000000000000000000000000000000000000aa");
        Hash32 topic = Hash32.fromHex("0x" + "01".repeat(32));
        byte[] data = {9, 9, 9};
        Bloom bloom = Bloom.of(List.of(new Log(addr, List.of(topic), data)));
        assertEquals(Bloom.EMPTY.add(addr.toArray()).add(topic.toArray()), bloom);
    }

    @Test
    void rejectsWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> Bloom.fromBytes(new byte[255]));
    }
}
