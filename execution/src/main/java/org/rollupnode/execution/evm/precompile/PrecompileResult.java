package org.rollupnode.execution.evm.precompile;

/** success=false: the call fails and all gas given to it is consumed. */
public record PrecompileResult(boolean success, byte[] output) {}
