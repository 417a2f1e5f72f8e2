package org.rollupnode.execution.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Scroll mainnet block 14,916,920, the golden vector of rollup-node's consensus unit test
 * ({@code crates/chain-orchestrator/src/consensus.rs}, {@code test_should_validate_block}).
 *
 * <p>The transactions root is not checked here: the body in that test holds one EIP-1559
 * transaction whose ordered-trie root is not the header's transactionsRoot, so the test's body is
 * evidently not the block's full body (its consensus check never looks at the body). Ordered
 * roots are covered by the Ethereum BlockchainTests instead.
 */
class ScrollHeaderTest {
    static final String BLOOM = "0x"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000040000000000000000000000000000"
            + "0010000000000000000000000000000000000000000000000000000000000000"
            + "0000800040000000000000000000000000000000000400000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "0100000000000800000000001000004000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000";
    static final String SIGNATURE = "0x6d2b8ef87f0956ea4dd10fb0725fa7196ad80c6d567a161f6b4367f95b5de6ec"
            + "279142b540d3b248f08ed337bb962fa3fd83d21de622f7d6c8207272558fd15a00";

    static BlockHeader header() {
        return BlockHeader.builder()
                .parentHash(Hash32.fromHex("0x3ccf36621e1f75cd1bfd2ac39ff6a00d8a5bec02e52aa7064a4860a0d02d6013"))
                .ommersHash(Hash32.fromHex("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"))
                .coinbase(Address.ZERO)
                .stateRoot(Hash32.fromHex("0xbc6c2ccfdb3e0e78b53134f583e6d42760adcaebb23e7a6bab59503c4b98daeb"))
                .transactionsRoot(Hash32.fromHex("0xa11e1b74f0aada603d9b4e645a57d60259dc2545c0372b88e16e6b59cecac8b6"))
                .receiptsRoot(Hash32.fromHex("0x72de16699164034d2ed9930a021820e32e103ea7162b6f6a9a535d0a98f3fac0"))
                .logsBloom(Bloom.fromHex(BLOOM))
                .difficulty(BigInteger.ONE)
                .number(14_916_920L)
                .gasLimit(10_000_000L)
                .gasUsed(245_760L)
                .timestamp(1_745_337_938L)
                .extraData(new byte[0])
                .mixHash(Hash32.ZERO)
                .nonce(0)
                .baseFeePerGas(40_306_624L)
                .build();
    }

    @Test
    void sealHashMatchesRollupNode() {
        assertEquals("0x6d2d1fa4f2ed624e002205359df1a16ae390eddfcf9abea8ed68dd8f6491a866", header().sealHash().toHex());
    }

    @Test
    void signatureRecoversTheMainnetSigner() throws Exception {
        byte[] sig = Hex.decode(SIGNATURE);
        // The wire format carries the y-parity (0/1); web3j wants the legacy 27/28.
        Sign.SignatureData data = new Sign.SignatureData(
                (byte) (27 + sig[64]), Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
        BigInteger publicKey = Sign.signedMessageHashToKey(header().sealHash().toArray(), data);
        assertEquals("0xd83c4892bb5aa241b63d8c4c134920111e142a20", "0x" + Keys.getAddress(publicKey));
    }

    @Test
    void sealHashIgnoresExtraDataButBlockHashDoesNot() {
        BlockHeader h = header();
        BlockHeader withSig = h.toBuilder().extraData(Hex.decode(SIGNATURE)).build();
        assertEquals(h.sealHash(), withSig.sealHash());
        assertNotEquals(h.hash(), withSig.hash());
        assertEquals(h, BlockHeader.decode(h.rlp()));
        assertEquals(h.hash(), Keccak.hash(h.rlp()));
    }

    @Test
    void constantsAndValidation() {
        assertEquals("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
                BlockHeader.EMPTY_OMMERS_HASH.toHex());
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> header().toBuilder().blobGasUsed(0L).build());
        assertEquals(true, gap.getMessage().contains("blobGasUsed"));
        assertThrows(IllegalArgumentException.class, () -> header().toBuilder().number(-1).build());
        assertThrows(NullPointerException.class, () -> header().toBuilder().stateRoot(null).build());
    }
}
