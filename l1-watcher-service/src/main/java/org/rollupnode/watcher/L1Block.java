package org.rollupnode.watcher;

/** The header fields of an L1 block the watcher needs. Hashes are 0x-prefixed lower-case hex. */
record L1Block(long number, String hash, String parentHash, long timestamp) {}
