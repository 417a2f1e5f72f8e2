package org.rollupnode.bench;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rollupnode.execution.chain.ChainSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rollup-node loadgen}: value-transfer load against any Ethereum JSON-RPC endpoint. */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "Load against a JSON-RPC URL (this node, anvil, any client): open-loop signed value transfers, or closed-loop reads (--mode balance|call).")
public final class LoadGenCommand implements Callable<Integer> {
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

    @Override
    public Integer call() throws Exception {
        if (!mode.equals("transfer")) {
            return readLoad();
        }
        List<BigInteger> keys = new ArrayList<>(ChainSpecs.devPrivateKeys().subList(0, Math.max(1, Math.min(20, funders))));
        LoadGenerator.Result r = new LoadGenerator(new LoadGenerator.Settings(rpc, accounts, rate, duration, keys, csv, batch, warmup), System.out).run();
        System.out.println(r.summary());
        return r.accepted() > 0 ? 0 : 1;
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
