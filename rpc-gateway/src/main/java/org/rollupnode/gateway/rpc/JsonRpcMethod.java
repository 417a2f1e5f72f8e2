package org.rollupnode.gateway.rpc;

/**
 * One JSON-RPC method. Implementations may block (they run on a worker thread, never on an event
 * loop), but should bound their own waits: a timed-out request is answered, yet the handler keeps
 * its worker thread until it returns.
 */
@FunctionalInterface
public interface JsonRpcMethod {

    /**
     * @return the result, serialized with the dispatcher's {@link JsonRpcMapper} (JsonNode, Map,
     *     List, String, Boolean, record, POJO or null)
     * @throws JsonRpcException to answer with that error; any other exception becomes -32603
     *     "internal error" and is logged, its text never reaches the client
     */
    Object call(JsonRpcParams params) throws JsonRpcException;
}
