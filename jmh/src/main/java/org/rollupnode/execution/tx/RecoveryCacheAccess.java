package org.rollupnode.execution.tx;

/** Lets benchmarks outside the {@code tx} package measure recovery without the process-wide cache. */
public final class RecoveryCacheAccess {
    private RecoveryCacheAccess() {}

    public static void clear() {
        Secp256k1.clearCache();
    }
}
