package org.rollupnode.bench;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rollupnode.execution.chain.ChainSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rollup-node loadgen}: write or read load against any Ethereum JSON-RPC endpoint. */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "Load against a JSON-RPC URL (this node, anvil, any client): open-loop signed transactions (value transfers, "
                + "ERC-20 transfers, storage-heavy calls; --mix), or closed-loop reads (--mode balance|call).")
public final class LoadGenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rpc", defaultValue = "http://127.0.0.1:8545", description = "JSON-RPC URL (default: ${DEFAULT-VALUE}).")
    URI rpc;

    @Option(names = "--rate", defaultValue = "1000", description = "Target transactions per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "60", description = "Seconds of load (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--accounts", defaultValue = "500", description = "Sending accounts, funded first (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--batch", defaultValue = "100", description = "Transactions per JSON-RPC batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--csv", description = "Per-second CSV output file.")
    Path csv;

    @Option(names = "--warmup", defaultValue = "0",
            description = "Seconds of load at the same rate before the measured --duration; left out of every figure (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--funders", defaultValue = "20", description = "How many of the 20 standard dev accounts fund the load accounts.")
    int funders;

    @Option(names = "--mode", defaultValue = "transfer",
            description = "transfer (open-loop signed transfers), balance (eth_getBalance) or call (eth_call of an ERC-20 balanceOf) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--clients", defaultValue = "16", description = "balance/call: concurrent closed-loop clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--token", description = "call: an already deployed BenchToken-compatible ERC-20; without it the load generator deploys one.")
    String token;

    WriteMix mix = WriteMix.TRANSFERS_ONLY;
    private boolean mixGiven;

    @Option(names = "--mix", paramLabel = "<kind=weight,...>",
            description = "transfer mode: weights of the transaction kinds, e.g. transfer=70,erc20=20,store=10. transfer: 1 wei to a sink; "
                    + "erc20: BenchToken.transfer(sink, 1) (deployed, load accounts funded with tokens); store: HashStore.work(10, base), "
                    + "10 KECCAK256 + 10 fresh SSTOREs (deployed) (default: transfer=100).")
    void setMix(String value) {
        try {
            mix = WriteMix.parse(value);
            mixGiven = true;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid --mix '" + value + "': " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!mode.equals("transfer")) {
            if (mixGiven) {
                throw new ParameterException(spec.commandLine(), "--mix applies to --mode transfer only, not '" + mode + "'");
            }
            return readLoad();
        }
        List<BigInteger> keys = new ArrayList<>(ChainSpecs.devPrivateKeys().subList(0, Math.max(1, Math.min(20, funders))));
        LoadGenerator.Result r = new LoadGenerator(new LoadGenerator.Settings(rpc, accounts, rate, duration, keys, csv, batch, warmup, mix),
                System.out).run();
        System.out.println(r.summary());
        // An included call that reverted did not do the work the mix asked for: the run is not valid.
        return r.accepted() > 0 && r.failedReceipts() == 0 ? 0 : 1;
    }

    private int readLoad() throws Exception {
        ReadLoadGenerator.Mode m = switch (mode) {
            case "balance" -> ReadLoadGenerator.Mode.BALANCE;
            case "call" -> ReadLoadGenerator.Mode.CALL;
            default -> throw new IllegalArgumentException("invalid --mode '" + mode + "': expected transfer, balance or call");
        };
        if (clients < 1 || duration < 1 || warmup < 0) {
            throw new IllegalArgumentException("--clients and --duration must be at least 1, --warmup not negative");
        }
        ReadLoadGenerator.Result r = new ReadLoadGenerator(new ReadLoadGenerator.Settings(rpc, m, clients, duration, warmup,
                ChainSpecs.devPrivateKeys().get(0), token), System.out).run();
        System.out.println(r.summary());
        return r.requests() > 0 && r.errors() == 0 ? 0 : 1;
    }
}
