package org.rollupnode.execution.builder;

import java.math.BigInteger;
import org.rollupnode.execution.types.Address;

/** The block-level inputs the sequencer chooses: they travel in the payload. */
public record BlockEnv(long number, long timestamp, Address coinbase, long gasLimit, BigInteger baseFee) {}
