package org.rollupnode.watcher;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.rollupnode.schemas.L1MessageQueued;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Decodes Scroll's {@code QueueTransaction(address indexed sender, address indexed target,
 * uint256 value, uint64 queueIndex, uint256 gasLimit, bytes data)} with web3j's ABI decoder, after
 * strict shape checks of our own: the decoder is lenient about padding and short data, and a
 * malformed event must stop the watcher rather than become a wrong L2 transaction.
 */
final class QueueTransactionDecoder {
    static final Event EVENT = new Event("QueueTransaction", List.of(
            new TypeReference<Address>(true) {},
            new TypeReference<Address>(true) {},
            new TypeReference<Uint256>() {},
            new TypeReference<Uint64>() {},
            new TypeReference<Uint256>() {},
            new TypeReference<DynamicBytes>() {}));
    static final String TOPIC0 = EventEncoder.encode(EVENT);

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private QueueTransactionDecoder() {}

    static L1MessageQueued decode(Log log) {
        String where = "L1 block " + log.getBlockNumber() + " tx " + log.getTransactionHash() + " log index " + log.getLogIndex();
        try {
            List<String> topics = log.getTopics();
            if (topics == null || topics.size() != 3 || !TOPIC0.equalsIgnoreCase(topics.get(0))) {
                throw bad(where, "expected 3 topics (QueueTransaction, sender, target), got "
                        + (topics == null ? "none" : topics.size()));
            }
            String sender = address(topics.get(1), where, "sender");
            String target = address(topics.get(2), where, "target");
            byte[] data = Numeric.hexStringToByteArray(log.getData());
            // head: value, queueIndex, gasLimit, offset of data; tail: length, bytes (padded to 32)
            if (data.length < 5 * 32 || data.length % 32 != 0) {
                throw bad(where, "data is " + data.length + " bytes, not a QueueTransaction body");
            }
            BigInteger offset = new BigInteger(1, java.util.Arrays.copyOfRange(data, 96, 128));
            BigInteger length = offset.compareTo(BigInteger.valueOf(data.length - 32)) > 0 ? null
                    : new BigInteger(1, java.util.Arrays.copyOfRange(data, offset.intValueExact(), offset.intValueExact() + 32));
            if (!offset.equals(BigInteger.valueOf(128)) || length == null
                    || length.compareTo(BigInteger.valueOf(data.length - 160L)) > 0) {
                throw bad(where, "bytes field offset " + offset + " / length " + length + " does not fit the " + data.length + "-byte body");
            }
            List<Type> values = FunctionReturnDecoder.decode(log.getData(), EVENT.getNonIndexedParameters());
            if (values.size() != 4) {
                throw bad(where, "ABI decoder returned " + values.size() + " values, expected 4");
            }
            BigInteger value = (BigInteger) values.get(0).getValue();
            BigInteger queueIndex = (BigInteger) values.get(1).getValue();
            BigInteger gasLimit = (BigInteger) values.get(2).getValue();
            byte[] payload = (byte[]) values.get(3).getValue();
            if (queueIndex.bitLength() > 63) {
                throw bad(where, "queue index " + queueIndex + " is out of range");
            }
            return new L1MessageQueued(
                    queueIndex.longValueExact(),
                    log.getBlockNumber().longValueExact(),
                    log.getBlockHash().toLowerCase(Locale.ROOT),
                    log.getTransactionHash().toLowerCase(Locale.ROOT),
                    log.getLogIndex().longValueExact(),
                    sender,
                    target,
                    value.toString(),
                    gasLimit.min(LONG_MAX).longValueExact(),
                    Numeric.toHexString(payload));
        } catch (L1WatcherException e) {
            throw e;
        } catch (RuntimeException e) {
            throw bad(where, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String address(String topic, String where, String name) {
        byte[] word = Numeric.hexStringToByteArray(topic);
        if (word.length != 32) {
            throw bad(where, name + " topic is " + word.length + " bytes");
        }
        for (int i = 0; i < 12; i++) {
            if (word[i] != 0) {
                throw bad(where, name + " topic " + topic + " is not a left-padded address");
            }
        }
        return Numeric.toHexString(java.util.Arrays.copyOfRange(word, 12, 32));
    }

    private static L1WatcherException bad(String where, String why) {
        return new L1WatcherException(L1WatcherException.Code.UNDECODABLE_LOG, "Undecodable QueueTransaction at " + where + ": " + why);
    }
}
