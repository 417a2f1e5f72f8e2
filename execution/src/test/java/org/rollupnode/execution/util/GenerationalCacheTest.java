package org.rollupnode.execution.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GenerationalCacheTest {

    @Test
    void holdsAtMostTwoGenerationsAndKeepsWhatIsStillUsed() {
        GenerationalCache<Integer, String> cache = new GenerationalCache<>(100);
        cache.put(-1, "hot");
        for (int i = 0; i < 10_000; i++) {
            cache.put(i, "v" + i);
            if (i % 50 == 0) {
                assertEquals("hot", cache.get(-1), "an entry read every 50 inserts survives rotation");
            }
            assertTrue(cache.size() <= 202, "bounded: " + cache.size());
        }
        assertEquals("v9999", cache.get(9999));
        assertNull(cache.get(0), "an old entry that was never read again is gone");
    }

    @Test
    void clearForgetsEverythingAndSizeMustBePositive() {
        GenerationalCache<String, String> cache = new GenerationalCache<>(10);
        cache.put("a", "1");
        cache.clear();
        assertNull(cache.get("a"));
        assertThrows(IllegalArgumentException.class, () -> new GenerationalCache<>(0));
    }

    @Test
    void bypassedCachesNeitherStoreNorAnswerUntilTurnedBackOn() {
        GenerationalCache<String, String> cache = new GenerationalCache<>(10);
        cache.put("kept", "1");
        try {
            GenerationalCache.bypassAll(true);
            cache.put("dropped", "2");
            assertNull(cache.get("kept"), "a bypassed cache answers nothing");
            assertEquals(1, cache.size(), "and stores nothing");
        } finally {
            GenerationalCache.bypassAll(false);
        }
        assertEquals("1", cache.get("kept"), "entries from before the bypass are still there");
        assertNull(cache.get("dropped"));
    }
}
