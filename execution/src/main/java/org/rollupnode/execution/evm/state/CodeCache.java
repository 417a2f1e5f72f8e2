package org.rollupnode.execution.evm.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rollupnode.execution.evm.frame.Code;
import org.rollupnode.execution.state.StateView;
import org.rollupnode.execution.types.Hash32;

/**
 * Bytecode by hash with its JUMPDEST analysis, shared across transactions: code is immutable
 * once deployed, so the analysis of a popular contract is done once, not once per call.
 */
final class CodeCache {
    private static final int MAX = 4096;
    private static final Map<Hash32, Code> CACHE = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash32, Code> eldest) {
            return size() > MAX;
        }
    };

    private CodeCache() {}

    static Code get(Hash32 hash, StateView state) {
        synchronized (CACHE) {
            Code c = CACHE.get(hash);
            if (c != null) {
                return c;
            }
        }
        Code c = new Code(state.codeByHash(hash), hash);
        synchronized (CACHE) {
            CACHE.put(hash, c);
        }
        return c;
    }
}
