package org.rollupnode.execution.evm.frame;

import java.util.BitSet;
import org.rollupnode.execution.types.Hash32;

/** Bytecode with its JUMPDEST analysis (computed once, on the first jump). */
public final class Code {
    public static final Code EMPTY = new Code(new byte[0], null);

    private final byte[] bytes;
    private final Hash32 hash;
    private volatile BitSet jumpDests;

    public Code(byte[] bytes, Hash32 hash) {
        this.bytes = bytes;
        this.hash = hash;
    }

    public byte[] bytes() {
        return bytes;
    }

    public Hash32 hash() {
        return hash;
    }

    public int size() {
        return bytes.length;
    }

    public boolean isValidJumpDest(long dest) {
        if (dest < 0 || dest >= bytes.length || bytes[(int) dest] != (byte) 0x5b) {
            return false;
        }
        BitSet d = jumpDests;
        if (d == null) {
            d = analyse(bytes);
            jumpDests = d;
        }
        return d.get((int) dest);
    }

    private static BitSet analyse(byte[] code) {
        BitSet d = new BitSet(code.length);
        for (int pc = 0; pc < code.length; pc++) {
            int op = code[pc] & 0xff;
            if (op == 0x5b) {
                d.set(pc);
            } else if (op >= 0x60 && op <= 0x7f) {
                pc += op - 0x5f;
            }
        }
        return d;
    }
}
