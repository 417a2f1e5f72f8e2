package org.rollupnode.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rollupnode.chain.BlockSignatures;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.block.Bloom;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Known vectors for what the signer produces and readers accept: the Scroll mainnet golden vector
 * (rust-node-spec §3.1) and RFC 6979 signatures computed by an independent implementation
 * (ethers v6 / noble-curves, {@code SigningKey.sign}), all recovered with web3j.
 */
class SignatureVectorsTest {
    static final String TEST_KEY = "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef";
    static final String DEV_KEY = "0749cf97e3829376c49a99442b15f681c3cd51721a23e00bf40bc79454fb4548";
    static final Hash32 GOLDEN_DIGEST = Hash32.fromHex("0x6d2d1fa4f2ed624e002205359df1a16ae390eddfcf9abea8ed68dd8f6491a866");
    static final Hash32 TEXT_DIGEST = Hash32.fromHex("0xc09290d8d232bd773cdd4c5b057303d9dec354ac7035a6c5a0222c0e6f00fc41");
    static final String MAINNET_SIGNATURE = "0x6d2b8ef87f0956ea4dd10fb0725fa7196ad80c6d567a161f6b4367f95b5de6ec"
            + "279142b540d3b248f08ed337bb962fa3fd83d21de622f7d6c8207272558fd15a00";
    static final String MAINNET_SIGNER = "0xd83c4892bb5aa241b63d8c4c134920111e142a20";

    /** Scroll mainnet block 14,916,920 as in rollup-node's consensus unit test. */
    static BlockHeader mainnetHeader() {
        String bloom = "0x"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000040000000000000000000000000000"
                + "0010000000000000000000000000000000000000000000000000000000000000"
                + "0000800040000000000000000000000000000000000400000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0100000000000800000000001000004000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000";
        return BlockHeader.builder()
                .parentHash(Hash32.fromHex("0x3ccf36621e1f75cd1bfd2ac39ff6a00d8a5bec02e52aa7064a4860a0d02d6013"))
                .ommersHash(Hash32.fromHex("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"))
                .coinbase(Address.ZERO)
                .stateRoot(Hash32.fromHex("0xbc6c2ccfdb3e0e78b53134f583e6d42760adcaebb23e7a6bab59503c4b98daeb"))
                .transactionsRoot(Hash32.fromHex("0xa11e1b74f0aada603d9b4e645a57d60259dc2545c0372b88e16e6b59cecac8b6"))
                .receiptsRoot(Hash32.fromHex("0x72de16699164034d2ed9930a021820e32e103ea7162b6f6a9a535d0a98f3fac0"))
                .logsBloom(Bloom.fromHex(bloom))
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

    static String web3jRecover(Hash32 digest, byte[] sig) throws Exception {
        int v = sig[64] & 0xff;
        Sign.SignatureData data = new Sign.SignatureData((byte) (v < 27 ? v + 27 : v), Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
        return "0x" + Keys.getAddress(Sign.signedMessageHashToKey(digest.toArray(), data));
    }

    @Test
    void mainnetGoldenVectorRecoversWithEitherVEncoding() throws Exception {
        BlockHeader h = mainnetHeader();
        assertEquals(GOLDEN_DIGEST, h.sealHash());
        byte[] wire = Hex.decode(MAINNET_SIGNATURE);
        assertEquals(0, wire[64], "Scroll's wire form carries the y-parity");
        assertEquals(MAINNET_SIGNER, web3jRecover(h.sealHash(), wire));
        assertEquals(MAINNET_SIGNER, BlockSignatures.recover(h.sealHash(), wire).toHex());
        byte[] legacy = wire.clone();
        legacy[64] = 27;
        assertEquals(MAINNET_SIGNER, BlockSignatures.recover(h.sealHash(), legacy).toHex(), "27/28 accepted as the DB form");
        // The seal hash leaves extraData out, so the signature copied into extraData still verifies.
        assertEquals(MAINNET_SIGNER, BlockSignatures.recover(h.toBuilder().extraData(wire).build().sealHash(), wire).toHex());
    }

    @Test
    void readersRejectMalformedSignatures() {
        byte[] wire = Hex.decode(MAINNET_SIGNATURE);
        for (int v : new int[] {2, 26, 29, 0xff}) {
            byte[] bad = wire.clone();
            bad[64] = (byte) v;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockSignatures.recover(GOLDEN_DIGEST, bad));
            assertEquals("block signature has invalid v " + v, e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> BlockSignatures.recover(GOLDEN_DIGEST, Arrays.copyOf(wire, 64)));
        // Flipping the parity recovers some other key: readers must compare with the authorized signer.
        byte[] flipped = wire.clone();
        flipped[64] = 1;
        assertEquals(false, BlockSignatures.recover(GOLDEN_DIGEST, flipped).toHex().equals(MAINNET_SIGNER));
    }

    @Test
    void localKeySignerMatchesIndependentRfc6979Vectors() throws Exception {
        String[][] vectors = {
                // key, digest, r ‖ s ‖ yParity from ethers v6, address from ethers computeAddress
                {TEST_KEY, GOLDEN_DIGEST.toHex(), "0x0153f4932c6bca231fff4ab9bad44ff6878eb0f26b67e1b8b7cfe9cc4a6eb0f7"
                        + "2c71bb6e7c23a84df98ab456147bca72199709c334dc9d2f87e7f0327e0a69ed01", "0x1be31a94361a391bbafb2a4ccd704f57dc04d4bb"},
                {TEST_KEY, TEXT_DIGEST.toHex(), "0x80c2a4afe73e67beb61ec86cf7b5884925f491d0042159a7add3735fdb4d8488"
                        + "3b18c45fed69709f300e0c1f4f350c0dde1b870559f9a18886b9ed91b36a531b00", "0x1be31a94361a391bbafb2a4ccd704f57dc04d4bb"},
                {DEV_KEY, GOLDEN_DIGEST.toHex(), "0xa27664c86e2718b002ef2225b33fe1758662ac61e3b428f36ced8f6a94c8dec6"
                        + "447c553de00f52f40c57c0b11c281e637b003f1adaa0b0c1695e36a864cc0bb501", "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c"},
                {DEV_KEY, TEXT_DIGEST.toHex(), "0x1a331f4ee5235878949f9cad992773c033ac65893c01efe66fb2e31aab04c7f7"
                        + "777ee982ccf0e069c11bb3c0646a1f6cca670a9ee996bd628809bc15d1b654b900", "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c"},
        };
        for (String[] v : vectors) {
            LocalKeySigner signer = new LocalKeySigner(new BigInteger(v[0], 16));
            Hash32 digest = Hash32.fromHex(v[1]);
            byte[] sig = signer.sign(digest);
            assertEquals(v[2], Hex.encode(sig));
            assertEquals(v[3], signer.address().toHex());
            assertEquals(v[3], web3jRecover(digest, sig));
            assertEquals(v[3], BlockSignatures.recover(digest, sig).toHex());
        }
    }
}
