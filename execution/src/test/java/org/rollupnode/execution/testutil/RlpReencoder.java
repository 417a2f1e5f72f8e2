package org.rollupnode.execution.testutil;

import java.util.ArrayList;
import java.util.List;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpItem;

/** Encodes a decoded item again, to recover the raw bytes of a canonical sub-item. */
public final class RlpReencoder {
    private RlpReencoder() {}

    public static byte[] encode(RlpItem item) {
        if (!item.isList()) {
            return Rlp.encodeBytes(item.bytes());
        }
        List<byte[]> parts = new ArrayList<>();
        for (RlpItem child : item.list()) {
            parts.add(encode(child));
        }
        return Rlp.encodeList(parts);
    }
}
