package org.rollupnode.gateway.rpc;

/**
 * One JSON-RPC method. Implementations may block (they run on a worker thread, never on an event
 * loop), but should bound their own waits: a timed-out request is answered, yet the handler keeps
 * its worker thread until it returns.
 *
 * <p>A method that waits for something another thread completes (a Kafka acknowledgement) should
 * return a {@link java.util.concurrent.CompletionStage} instead of blocking: the calls of a batch
 * are all started before any deferred result is awaited, so their waits overlap. The stage's value
 * is serialized like a direct result, and its failure answered like a thrown exception. It should
 * complete within the method timeout; the stage is not cancelled when the request times out.
 */
@FunctionalInterface
public interface JsonRpcMethod {

    /**
     * @return the result, serialized with the dispatcher's {@link JsonRpcMapper} (JsonNode, Map,
     *     List, String, Boolean, record, POJO or null), or a CompletionStage of one
     * @throws JsonRpcException to answer with that error; any other exception becomes -32603
     *     "internal error" and is logged, its text never reaches the client
     */
    Object call(JsonRpcParams params) throws JsonRpcException;
}
