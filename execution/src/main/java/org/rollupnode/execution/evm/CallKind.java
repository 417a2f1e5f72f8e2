package org.rollupnode.execution.evm;

public enum CallKind { CALL, CALLCODE, DELEGATECALL, STATICCALL }
