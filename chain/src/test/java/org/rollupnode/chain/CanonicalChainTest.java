package org.rollupnode.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;

/** Old blocks stay served; only the newest states stay in memory. */
class CanonicalChainTest {

    @Test
    void statesOlderThanTheRetainedOnesAreReleasedButTheirBlocksAreStillServed() {
        Genesis g = Genesis.of(ChainFolderTest.DEV);
        CanonicalChain chain = new CanonicalChain(g, 4);
        BuiltBlock parent = new BuiltBlock(g.header(), List.of(), g.state());
        for (long n = 1; n <= 10; n++) {
            BlockEnv env = new BlockEnv(n, parent.header().timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000,
                    BaseFee.next(parent.header(), ChainFolderTest.DEV.baseFeeOverhead()));
            BuiltBlock b = new BlockBuilder(ChainFolderTest.DEV, parent.header(), parent.postState(), env).seal(new byte[0]);
            chain.append(new CanonicalChain.ChainBlock(b, "0x00", "0x01", "seq"));
            parent = b;
        }
        for (long n = 1; n <= 6; n++) {
            assertTrue(chain.stateAt(n).isEmpty(), "state of block " + n + " released");
            CanonicalChain.ChainBlock old = chain.byNumber(n).orElseThrow();
            assertEquals(n, old.number());
            assertNull(old.block().postState(), "block " + n + " no longer pins its state");
            assertEquals(old.number(), chain.byHash(old.hash()).orElseThrow().number(), "still served by hash");
        }
        for (long n = 7; n <= 10; n++) {
            assertNotNull(chain.stateAt(n).orElse(null), "state of block " + n + " retained");
        }
        assertTrue(chain.stateAt(0).isPresent(), "genesis state is kept");
        // A revert within the retained states still leaves a head with its state.
        chain.truncateTo(8);
        assertEquals(8, chain.head().number());
        assertNotNull(chain.head().block().postState());
        assertEquals(chain.head().block().postState().stateRoot(), chain.stateAt(8).orElseThrow().stateRoot());
    }
}
