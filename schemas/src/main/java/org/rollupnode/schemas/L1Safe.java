package org.rollupnode.schemas;

/** L1's {@code safe} block as the watcher last saw it (published when it changes). */
public record L1Safe(long number, String hash) implements L1Event {}
