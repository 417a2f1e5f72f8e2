package org.rollupnode.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;

/**
 * Warns about JVM settings known to break determinism. On JDK 17 (seen on 17.0.15) C2 with
 * ReduceBulkZeroing can miscompile a clone of a freshly copied array so that the clone reads as
 * zeros: a decoded address then hashed like the zero address and the sequencer built blocks whose
 * state root no re-execution reproduces (RELIABILITY.md). The decoder no longer has that pattern,
 * but the launcher, the Docker image and the tests also run with -XX:-ReduceBulkZeroing; a JVM
 * started some other way gets this warning. Not seen on JDK 25.
 */
final class JvmCheck {
    private JvmCheck() {}

    static void warnIfUnsafe(Logger log) {
        if (Runtime.version().feature() >= 25) {
            return;
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot != null && "true".equals(hotspot.getVMOption("ReduceBulkZeroing").getValue())) {
                log.warn("This JVM ({}) runs with ReduceBulkZeroing on: JDK 17's C2 has been seen to miscompile array copies with it, "
                        + "which made blocks non-deterministic; start java with -XX:-ReduceBulkZeroing (./rollup-node and the "
                        + "Docker image do)", Runtime.version());
            }
        } catch (IllegalArgumentException | UnsupportedOperationException notHotSpot) {
            // Another JVM: the option does not exist there.
        }
    }
}
