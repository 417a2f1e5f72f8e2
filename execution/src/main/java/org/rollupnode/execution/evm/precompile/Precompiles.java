package org.rollupnode.execution.evm.precompile;

import java.util.Map;
import org.rollupnode.execution.evm.EvmRules;
import org.rollupnode.execution.types.Address;

/**
 * The precompiles active under a rule set, by address ({@link EvmRules#precompiles()} names the
 * set; {@link PrecompileSet} builds it). Every address in the map is warm from the start of a
 * transaction (EIP-2929), including ones whose calls always fail.
 */
public final class Precompiles {
    private static final Map<Address, Precompile> CANCUN = PrecompileSet.cancun();
    private static final Map<Address, Precompile> SCROLL_GALILEO = PrecompileSet.scrollGalileo();

    private Precompiles() {}

    public static Map<Address, Precompile> forRules(EvmRules rules) {
        return switch (rules.precompiles()) {
            case CANCUN -> CANCUN;
            case SCROLL_GALILEO -> SCROLL_GALILEO;
        };
    }
}
