/**
 * JSON-RPC 2.0 for the gateway, independent of the Ethereum methods built on it.
 *
 * <pre>{@code
 * JsonRpcDispatcher rpc = new JsonRpcDispatcher(Set.of("eth", "net", "web3"), Limits.DEFAULT);
 * rpc.register("eth_getBalance", params -> {
 *     String address = params.requiredString(0, "address");
 *     String block = params.optionalString(1, "block", "latest");
 *     return "0x" + state.balance(address, block).toString(16);
 * });
 * try (HttpJsonRpcServer http = new HttpJsonRpcServer(null, rpc, "0.0.0.0", 8545, Limits.DEFAULT, List.of("*"))) {
 *     http.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Threading: the Vert.x event loop reads bodies and writes answers; parsing and methods run on
 * the server's bounded worker pool ({@link org.rollupnode.gateway.rpc.HttpJsonRpcServer.Workers}),
 * so methods may block. A batch runs its calls in order on one worker. The per-request deadline
 * ({@link org.rollupnode.gateway.rpc.Limits#methodTimeout()}) answers -32002 but never interrupts
 * the method, which keeps its worker until it returns: bound your own waits.
 *
 * <p>Methods throw {@link org.rollupnode.gateway.rpc.JsonRpcException} for answers clients should
 * see; anything else is logged on {@code rollup_node::rpc} and answered -32603 "internal error".
 */
package org.rollupnode.gateway.rpc;
