package org.rollupnode.execution.types;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rollupnode.execution.tx.AccessListEntry;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;

/**
 * Child-JVM program for {@link DecodedKeysHashTest}: decodes the same signed transaction until C2
 * has compiled the decoder, and counts decoded addresses and storage keys that a HashMap keyed by
 * independently built equal values does not find (a hash code that disagrees with equals).
 * Prints {@code MISSED <n> OF <iterations>} and exits 0.
 */
public final class DecodedKeysUnderC2 {
    private DecodedKeysUnderC2() {}

    public static void main(String[] args) {
        int iterations = Integer.parseInt(args[0]);
        Address to = Address.fromHex("0x" + "5e".repeat(20));
        Address listed = Address.fromHex("0x" + "a1".repeat(20));
        Hash32 slot = Hash32.fromHex("0x" + "07".repeat(32));
        byte[] raw = Transaction.eip1559(1337).nonce(1).maxPriorityFeePerGas(1).maxFeePerGas(2).gasLimit(50_000)
                .to(to).value(1).accessList(List.of(new AccessListEntry(listed, List.of(slot))))
                .sign(BigInteger.valueOf(0x1234_5678L)).encoded();
        Map<Address, Boolean> addresses = new HashMap<>();
        addresses.put(to, true);
        addresses.put(listed, true);
        Map<Hash32, Boolean> slots = new HashMap<>();
        slots.put(slot, true);
        long missed = 0;
        for (int i = 0; i < iterations; i++) {
            Transaction tx = TransactionDecoder.decode(raw);
            AccessListEntry e = tx.accessList().get(0);
            if (addresses.get(tx.to()) == null || addresses.get(e.address()) == null || slots.get(e.storageKeys().get(0)) == null) {
                missed++;
            }
        }
        System.out.println("MISSED " + missed + " OF " + iterations);
    }
}
