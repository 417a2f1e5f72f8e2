package org.rollupnode.signer;

import org.rollupnode.execution.types.Address;

/**
 * Where the signer-service takes the authorized block signer from, in the Rust node's order of
 * precedence: {@code --consensus.authorized-signer} (fixed), else L1's SystemConfig as the watcher
 * publishes it in {@code l1-events}, else (dev, no L1) the signer's own key.
 *
 * @param source which of the three
 * @param fixed  the flag's address for {@link Source#FLAG}, else null
 */
public record AuthorizedSignerPolicy(Source source, Address fixed) {
    public enum Source { FLAG, L1, OWN_KEY }

    public AuthorizedSignerPolicy {
        if ((source == Source.FLAG) != (fixed != null)) {
            throw new IllegalArgumentException("an address is given exactly for --consensus.authorized-signer");
        }
    }

    public static AuthorizedSignerPolicy flag(Address signer) {
        return new AuthorizedSignerPolicy(Source.FLAG, signer);
    }

    public static AuthorizedSignerPolicy fromL1() {
        return new AuthorizedSignerPolicy(Source.L1, null);
    }

    public static AuthorizedSignerPolicy ownKey() {
        return new AuthorizedSignerPolicy(Source.OWN_KEY, null);
    }

    /**
     * The policy for a launch: the flag wins, then L1 when the watcher reads a SystemConfig
     * ({@code --l1.url} and a known contract), else the own key.
     */
    public static AuthorizedSignerPolicy choose(Address flag, boolean l1SystemConfigKnown) {
        if (flag != null) {
            return flag(flag);
        }
        return l1SystemConfigKnown ? fromL1() : ownKey();
    }
}
