package org.rollupnode.chain;

import java.util.Arrays;
import java.util.Objects;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.types.Hex;

/** Names the first header field that differs, with both values, for audit messages. */
public final class HeaderDiff {
    private HeaderDiff() {}

    public record Diff(String field, String expected, String actual) {
        @Override
        public String toString() {
            return field + ": expected " + expected + ", actual " + actual;
        }
    }

    public static String firstDifference(BlockHeader expected, BlockHeader actual) {
        Diff d = diff(expected, actual);
        return d == null ? null : d.toString();
    }

    public static Diff diff(BlockHeader expected, BlockHeader actual) {
        Object[][] fields = {
            {"parentHash", expected.parentHash(), actual.parentHash()},
            {"coinbase", expected.coinbase(), actual.coinbase()},
            {"stateRoot", expected.stateRoot(), actual.stateRoot()},
            {"transactionsRoot", expected.transactionsRoot(), actual.transactionsRoot()},
            {"receiptsRoot", expected.receiptsRoot(), actual.receiptsRoot()},
            {"logsBloom", Hex.encode(expected.logsBloom().toArray()), Hex.encode(actual.logsBloom().toArray())},
            {"difficulty", expected.difficulty(), actual.difficulty()},
            {"number", expected.number(), actual.number()},
            {"gasLimit", expected.gasLimit(), actual.gasLimit()},
            {"gasUsed", expected.gasUsed(), actual.gasUsed()},
            {"timestamp", expected.timestamp(), actual.timestamp()},
            {"extraData", Hex.encode(expected.extraData()), Hex.encode(actual.extraData())},
            {"mixHash", expected.mixHash(), actual.mixHash()},
            {"baseFeePerGas", expected.baseFeePerGas(), actual.baseFeePerGas()},
        };
        for (Object[] f : fields) {
            if (!Objects.equals(f[1], f[2])) {
                return new Diff((String) f[0], String.valueOf(f[1]), String.valueOf(f[2]));
            }
        }
        if (!Arrays.equals(expected.rlp(), actual.rlp())) {
            return new Diff("headerRlp", Hex.encode(expected.rlp()), Hex.encode(actual.rlp()));
        }
        return null;
    }
}
