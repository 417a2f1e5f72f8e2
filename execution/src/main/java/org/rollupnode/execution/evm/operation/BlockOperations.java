package org.rollupnode.execution.evm.operation;

import org.rollupnode.execution.evm.BlockContext;
import org.rollupnode.execution.evm.EvmRules;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/** 0x40-0x4a: BLOCKHASH, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, CHAINID, BASEFEE, BLOBHASH, BLOBBASEFEE. */
public final class BlockOperations {
    /** EIP-2935 history storage contract (Scroll since Feynman). */
    public static final Address HISTORY_STORAGE = Address.fromHex("0x0000F90827F1C53a10cb7A02335B175320002935");
    public static final long HISTORY_SERVE_WINDOW = 8191;

    private BlockOperations() {}

    public static void blockhash(MessageFrame f) {
        int a = f.at(0);
        BlockContext b = f.evm.block();
        long current = b.number();
        if (!Words.fitsLong(f.stack, a)) {
            Words.set(f.stack, a, 0);
            return;
        }
        long n = f.stack[a];
        if (n >= current || current - n > 256) {
            Words.set(f.stack, a, 0);
            return;
        }
        Hash32 h;
        if (f.evm.rules().blockHashSource() == EvmRules.BlockHashSource.HISTORY_STORAGE) {
            // revm loads the history account through the journal (it becomes warm) and reads the slot directly.
            f.evm.state().warm(HISTORY_STORAGE);
            byte[] slot = new byte[32];
            long idx = n % HISTORY_SERVE_WINDOW;
            for (int i = 0; i < 8; i++) {
                slot[31 - i] = (byte) (idx >>> (8 * i));
            }
            h = f.evm.state().storage(HISTORY_STORAGE, Hash32.wrap(slot));
        } else {
            h = b.blockHashes().apply(n);
        }
        if (h == null) {
            Words.set(f.stack, a, 0);
        } else {
            Words.fromHash(h, f.stack, a);
        }
    }

    public static void coinbase(MessageFrame f) {
        f.pushAddress(f.evm.block().coinbase());
    }

    public static void timestamp(MessageFrame f) {
        f.pushLong(f.evm.block().timestamp());
    }

    public static void number(MessageFrame f) {
        f.pushLong(f.evm.block().number());
    }

    public static void prevrandao(MessageFrame f) {
        if (f.evm.rules().zeroPrevRandao()) {
            f.pushLong(0);
        } else {
            f.pushBytes32(f.evm.block().prevRandao().unsafeBytes());
        }
    }

    public static void gaslimit(MessageFrame f) {
        f.pushLong(f.evm.block().gasLimit());
    }

    public static void chainid(MessageFrame f) {
        f.pushLong(f.evm.block().chainId());
    }

    public static void basefee(MessageFrame f) {
        f.pushBigInteger(f.evm.block().baseFee());
    }

    /** No blob transactions are executed, so every index is out of range. */
    public static void blobhash(MessageFrame f) {
        Words.set(f.stack, f.at(0), 0);
    }

    public static void blobbasefee(MessageFrame f) {
        f.pushBigInteger(f.evm.block().blobBaseFee());
    }
}
