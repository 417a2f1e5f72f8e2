package org.rollupnode.schemas;

/**
 * The last L1 block the watcher has fully processed: all queue events up to and including this
 * block precede this record in the topic. A reader using {@code depth:N} counts from it.
 */
public record L1Head(long number, String hash, String parentHash, long timestamp) implements L1Event {}
