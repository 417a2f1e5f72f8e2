package org.rollupnode.jmh;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rollupnode.bench.Contracts;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.TransactionRejected;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/** A dev chain with the benchmark contracts deployed, and pre-signed transactions on top of it. */
final class Fixtures {
    static final ChainSpec SPEC = ChainSpecs.byName("dev");
    static final List<BigInteger> KEYS = ChainSpecs.devPrivateKeys();
    static final BigInteger MAX_FEE = BigInteger.valueOf(10_000_000_000L);
    static final BigInteger TIP = BigInteger.valueOf(100);
    static final Address COINBASE = Address.fromHex("0x" + "c0".repeat(20));

    final BlockHeader head;
    final WorldState state;
    final Address token;
    final Address hashStore;
    final long[] nonces = new long[KEYS.size()];

    private Fixtures(BlockHeader head, WorldState state, Address token, Address hashStore, long[] nonces) {
        this.head = head;
        this.state = state;
        this.token = token;
        this.hashStore = hashStore;
        System.arraycopy(nonces, 0, this.nonces, 0, nonces.length);
    }

    /** Genesis, then block 1 deploys BenchToken and HashStore, block 2 gives every dev account tokens. */
    static Fixtures create() {
        Genesis g = Genesis.of(SPEC);
        long[] nonces = new long[KEYS.size()];
        BigInteger supply = BigInteger.TEN.pow(30);
        byte[] tokenInit = concat(Contracts.initCode("BenchToken"), word(supply));
        Transaction deployToken = tx(0, nonces[0]++, null, tokenInit, 3_000_000);
        Transaction deployStore = tx(0, nonces[0]++, null, Contracts.initCode("HashStore"), 3_000_000);
        Address sender0 = address(KEYS.get(0));
        Address token = contractAddress(sender0, 0);
        Address store = contractAddress(sender0, 1);
        BuiltBlock b1 = block(g.header(), g.state(), SPEC.defaultBlockGasLimit(), List.of(deployToken, deployStore));
        List<Transaction> funding = new ArrayList<>();
        for (int i = 1; i < KEYS.size(); i++) {
            funding.add(tx(0, nonces[0]++, token, erc20Transfer(address(KEYS.get(i)), BigInteger.TEN.pow(24)), 100_000));
        }
        BuiltBlock b2 = block(b1.header(), b1.postState(), SPEC.defaultBlockGasLimit(), funding);
        if (b2.transactions().size() != funding.size()) {
            throw new IllegalStateException("token funding did not execute");
        }
        return new Fixtures(b2.header(), b2.postState(), token, store, nonces);
    }

    BlockEnv nextEnv(long gasLimit) {
        return new BlockEnv(head.number() + 1, head.timestamp() + 1, COINBASE, gasLimit, BaseFee.next(head, SPEC.baseFeeOverhead()));
    }

    BlockBuilder builder(long gasLimit) {
        return new BlockBuilder(SPEC, head, state, nextEnv(gasLimit));
    }

    /** Round-robin over the 20 dev accounts with consecutive nonces, as the block would include them. */
    List<Transaction> roundRobin(int count, java.util.function.IntFunction<Address> to,
                                 java.util.function.IntFunction<byte[]> data, long gasLimit, boolean value) {
        long[] n = nonces.clone();
        List<Transaction> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int k = i % KEYS.size();
            out.add(Transaction.eip1559(SPEC.chainId()).nonce(n[k]++).maxPriorityFeePerGas(TIP).maxFeePerGas(MAX_FEE)
                    .gasLimit(gasLimit).to(to.apply(i)).value(value ? BigInteger.ONE : BigInteger.ZERO).data(data.apply(i))
                    .sign(KEYS.get(k)));
        }
        return out;
    }

    static Transaction tx(int key, long nonce, Address to, byte[] data, long gas) {
        return Transaction.eip1559(SPEC.chainId()).nonce(nonce).maxPriorityFeePerGas(TIP).maxFeePerGas(MAX_FEE).gasLimit(gas)
                .to(to).value(BigInteger.ZERO).data(data).sign(KEYS.get(key));
    }

    static BuiltBlock block(BlockHeader parent, WorldState state, long gasLimit, List<Transaction> txs) {
        BlockEnv env = new BlockEnv(parent.number() + 1, parent.timestamp() + 1, COINBASE, gasLimit,
                BaseFee.next(parent, SPEC.baseFeeOverhead()));
        BlockBuilder b = new BlockBuilder(SPEC, parent, state, env);
        for (Transaction t : txs) {
            try {
                b.add(t);
            } catch (TransactionRejected e) {
                throw new IllegalStateException("fixture transaction rejected: " + e.getMessage(), e);
            }
        }
        return b.seal(new byte[0]);
    }

    static Address address(BigInteger key) {
        return Address.fromHex("0x" + Keys.getAddress(ECKeyPair.create(key)));
    }

    static Address contractAddress(Address sender, long nonce) {
        byte[] rlp = org.rollupnode.execution.rlp.Rlp.encodeList(
                org.rollupnode.execution.rlp.Rlp.encodeBytes(sender.unsafeBytes()),
                org.rollupnode.execution.rlp.Rlp.encodeBytes(org.rollupnode.execution.rlp.Rlp.minimalBytes(BigInteger.valueOf(nonce))));
        byte[] h = Keccak.hash256(rlp);
        return Address.wrap(h, 12);
    }

    static byte[] erc20Transfer(Address to, BigInteger amount) {
        return concat(Hex.decode("a9059cbb"), word(new BigInteger(1, to.unsafeBytes())), word(amount));
    }

    /** HashStore.work(n, base): n rounds of keccak + a fresh SSTORE each. */
    static byte[] hashStoreWork(long n, long base) {
        return concat(Hex.decode("" + selector("work(uint256,uint256)")), word(BigInteger.valueOf(n)), word(BigInteger.valueOf(base)));
    }

    static String selector(String signature) {
        return Hex.encode(Keccak.hash256(signature.getBytes(StandardCharsets.US_ASCII))).replace("0x", "").substring(0, 8);
    }

    static byte[] word(BigInteger v) {
        byte[] out = new byte[32];
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[len];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
