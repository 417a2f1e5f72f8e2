package org.rollupnode.node;

/** The services one process can run; {@code node} runs all of them. */
public enum Role { SEQUENCER, SIGNER, L1_WATCHER, RPC_GATEWAY }
