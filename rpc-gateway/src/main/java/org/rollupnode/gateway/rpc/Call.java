package org.rollupnode.gateway.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One element of a request body after validation. An element that is not a valid request is kept
 * as a call whose {@code invalid} error is its answer, so batch answers stay in request order.
 *
 * @param id the request id as sent (string, number or null node); null node when unknown
 * @param notification true when the request had no {@code id} member: run it, never answer it
 * @param invalid non-null when the element is not a valid request
 */
record Call(JsonNode id, boolean notification, String method, JsonNode params, JsonRpcException invalid) {

    static Call invalid(JsonNode id, JsonRpcException error) {
        return new Call(id == null ? NullNode.getInstance() : id, false, null, null, error);
    }
}
