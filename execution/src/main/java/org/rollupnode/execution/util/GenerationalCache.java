package org.rollupnode.execution.util;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded process-wide memo for pure functions of a transaction (sender recovery, compressed
 * size): the gateway's admission, the sequencer's build and every re-executing reader in one JVM
 * then pay for the work once.
 *
 * <p>Two generations of concurrent maps: lookups try the young one, then the old one; when the
 * young one is full it becomes the old one and the previous old one is dropped. Bounded at twice
 * the generation size without a lock on the hot path or an LRU list. Only for values that are a
 * pure function of the key: an entry is never invalidated.
 */
public final class GenerationalCache<K, V> {
    /**
     * Set by processes that see each transaction once (rollup-node replay, check): every lookup
     * would miss, so inserts would only cost hashing, map growth and heap the collector must trace.
     */
    private static volatile boolean bypassed;

    private final int generationSize;
    private volatile ConcurrentHashMap<K, V> young = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<K, V> old = new ConcurrentHashMap<>();

    public GenerationalCache(int generationSize) {
        if (generationSize < 1) {
            throw new IllegalArgumentException("generation size must be positive, got " + generationSize);
        }
        this.generationSize = generationSize;
    }

    /** The cached value, or null. A hit in the old generation moves the entry to the young one. */
    public V get(K key) {
        if (bypassed) {
            return null;
        }
        V v = young.get(key);
        if (v == null) {
            v = old.get(key);
            if (v != null) {
                put(key, v);
            }
        }
        return v;
    }

    public void put(K key, V value) {
        if (bypassed) {
            return;
        }
        ConcurrentHashMap<K, V> y = young;
        y.put(key, value);
        if (y.size() > generationSize) {
            synchronized (this) {
                if (young == y) {
                    old = y;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
    }

    /** Entries held now (at most twice the generation size, plus racing inserts). */
    public int size() {
        return young.size() + old.size();
    }

    public synchronized void clear() {
        young = new ConcurrentHashMap<>();
        old = new ConcurrentHashMap<>();
    }

    /**
     * Turns every memo of this process off (true) or back on (false): gets miss, puts are dropped.
     * Values are pure functions of their keys, so this changes cost, never results.
     */
    public static void bypassAll(boolean bypass) {
        bypassed = bypass;
    }
}
