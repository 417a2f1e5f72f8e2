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
        description = "Open-loop load of signed value transfers against a JSON-RPC URL (this node, anvil, any client).")
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

    @Override
    public Integer call() throws Exception {
        List<BigInteger> keys = new ArrayList<>(ChainSpecs.devPrivateKeys().subList(0, Math.max(1, Math.min(20, funders))));
        LoadGenerator.Result r = new LoadGenerator(new LoadGenerator.Settings(rpc, accounts, rate, duration, keys, csv, batch, warmup), System.out).run();
        System.out.println(r.summary());
        return r.accepted() > 0 ? 0 : 1;
    }
}
