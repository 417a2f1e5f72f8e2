package org.rollupnode.execution.evm;

import java.math.BigInteger;
import org.rollupnode.execution.types.Address;

/**
 * Observes every message call and creation frame (for debug_traceTransaction's call tracer).
 * Called on the executing thread; {@code enter} and {@code exit} nest like the frames.
 */
public interface CallTracer {
    void enter(String type, Address from, Address to, BigInteger value, byte[] input, long gas, int depth);

    void exit(CallResult result, long gasUsed, Address created);
}
