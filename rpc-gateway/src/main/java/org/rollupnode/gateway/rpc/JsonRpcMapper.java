package org.rollupnode.gateway.rpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The one Jackson configuration used for requests, results and typed parameters. */
public final class JsonRpcMapper {

    private static final ObjectMapper DEFAULT = create(Limits.DEFAULT.maxJsonDepth());

    private JsonRpcMapper() {
    }

    /** A mapper with the default limits; for building params in tests and for stand-alone use. */
    public static ObjectMapper shared() {
        return DEFAULT;
    }

    public static ObjectMapper create(int maxJsonDepth) {
        JsonFactory factory = JsonFactory.builder()
                // Depth is checked while parsing, so a hostile "[[[[..." never builds a deep tree.
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxJsonDepth).build())
                .build();
        return JsonMapper.builder(factory)
                // ids and numeric params must round-trip exactly: no double, no normalized BigDecimal
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                // Wallets send extra fields (e.g. "chainId" in call objects); geth ignores them too.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }
}
