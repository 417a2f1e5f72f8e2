package org.rollupnode.watcher;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The few L1 JSON-RPC calls the watcher makes, over web3j. Every failure (transport or JSON-RPC
 * error) becomes {@link L1WatcherException.Code#L1_UNAVAILABLE} with the URL's path and query
 * removed from the message, since those often carry a provider API key.
 */
final class L1Client implements AutoCloseable {
    private final Web3j web3j;
    private final HttpService http;
    private final L1WatcherConfig config;

    L1Client(L1WatcherConfig config) {
        this.config = config;
        OkHttpClient okHttp = new OkHttpClient.Builder()
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(10, TimeUnit.SECONDS)
                .build();
        this.http = new HttpService(config.l1Url().toString(), okHttp);
        this.web3j = Web3j.build(http);
    }

    L1Block latest() {
        return tagged(DefaultBlockParameterName.LATEST);
    }

    /** Null while L1 has no such block (a young chain, or a node without the tag). */
    L1Block safe() {
        return block(DefaultBlockParameterName.SAFE, "safe");
    }

    L1Block finalized() {
        return block(DefaultBlockParameterName.FINALIZED, "finalized");
    }

    /** Null when L1 has no block at that height. */
    L1Block byNumber(long number) {
        return block(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), "block " + number);
    }

    private L1Block tagged(DefaultBlockParameterName tag) {
        L1Block b = block(tag, tag.getValue());
        if (b == null) {
            throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, "L1 returned no '" + tag.getValue() + "' block");
        }
        return b;
    }

    private L1Block block(DefaultBlockParameter param, String what) {
        EthBlock response = send(() -> web3j.ethGetBlockByNumber(param, false).send(), "eth_getBlockByNumber(" + what + ")");
        EthBlock.Block b = response.getBlock();
        if (b == null) {
            return null;
        }
        return new L1Block(b.getNumber().longValueExact(), lower(b.getHash()), lower(b.getParentHash()), b.getTimestamp().longValueExact());
    }

    /** The block signer the SystemConfig contract authorizes at that L1 block (slot 0x67). */
    String authorizedSigner(String systemConfig, long blockNumber) {
        var response = send(() -> web3j.ethGetStorageAt(systemConfig, Numeric.toBigInt(AuthorizedSignerSlot.SLOT),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber))).send(),
                "eth_getStorageAt(" + systemConfig + ", " + AuthorizedSignerSlot.SLOT + ", " + blockNumber + ")");
        try {
            return AuthorizedSignerSlot.decode(response.getData());
        } catch (IllegalArgumentException e) {
            throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, e.getMessage());
        }
    }

    /** The queue's QueueTransaction logs in [from, to], in L1 order. */
    List<Log> queueLogs(long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), config.messageQueueAddress());
        filter.addSingleTopic(QueueTransactionDecoder.TOPIC0);
        EthLog response = send(() -> web3j.ethGetLogs(filter).send(), "eth_getLogs(" + from + ".." + to + ")");
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> r : response.getLogs()) {
            if (!(r.get() instanceof Log log)) {
                throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, "eth_getLogs returned hashes instead of log objects");
            }
            logs.add(log);
        }
        logs.sort(Comparator.comparing(Log::getBlockNumber).thenComparing(Log::getLogIndex));
        return logs;
    }

    private interface Call<T> {
        T send() throws IOException;
    }

    private <T extends Response<?>> T send(Call<T> call, String what) {
        T response;
        try {
            response = call.send();
        } catch (IOException | RuntimeException e) {
            throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE,
                    what + " to " + config.l1Endpoint() + " failed: " + redact(describe(e)), e);
        }
        if (response.hasError()) {
            throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, what + " to " + config.l1Endpoint()
                    + " returned JSON-RPC error " + response.getError().getCode() + ": " + redact(response.getError().getMessage()));
        }
        return response;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    private String redact(String message) {
        if (message == null) {
            return "";
        }
        String full = config.l1Url().toString();
        String out = message.replace(full, config.l1Endpoint());
        String path = config.l1Url().getRawPath();
        if (path != null && path.length() > 1) {
            out = out.replace(path, "/…");
        }
        return out;
    }

    private static String lower(String hex) {
        return hex == null ? null : hex.toLowerCase(Locale.ROOT);
    }

    /** Closes only our HTTP service: {@code Web3j.shutdown()} would also stop web3j's JVM-wide executor. */
    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException ignored) {
            // nothing to release that matters at shutdown
        }
    }
}
