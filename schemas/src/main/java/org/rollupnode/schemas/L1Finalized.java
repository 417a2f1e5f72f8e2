package org.rollupnode.schemas;

/** L1's {@code finalized} block as the watcher last saw it (published when it changes). */
public record L1Finalized(long number, String hash) implements L1Event {}
