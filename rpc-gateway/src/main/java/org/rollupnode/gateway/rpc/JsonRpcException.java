package org.rollupnode.gateway.rpc;

/**
 * An error answered to the client as-is. Codes follow JSON-RPC 2.0 and EIP-1474; any int is allowed
 * because Ethereum uses codes outside the reserved range (geth answers reverts with code 3).
 */
public class JsonRpcException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    public static final int INVALID_INPUT = -32000;
    public static final int RESOURCE_NOT_FOUND = -32001;
    public static final int RESOURCE_UNAVAILABLE = -32002;
    public static final int TRANSACTION_REJECTED = -32003;
    public static final int METHOD_NOT_SUPPORTED = -32004;
    public static final int LIMIT_EXCEEDED = -32005;

    private final int code;
    // transient: the data is serialized to JSON by the dispatcher, never by Java serialization
    private final transient Object data;

    public JsonRpcException(int code, String message) {
        this(code, message, null);
    }

    public JsonRpcException(int code, String message, Object data) {
        // No stack trace: these are expected answers, thrown on hot paths, and never logged as bugs.
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    /** Optional {@code error.data} member; omitted from the response when null. */
    public Object data() {
        return data;
    }

    public static JsonRpcException parseError(String message) {
        return new JsonRpcException(PARSE_ERROR, message);
    }

    public static JsonRpcException invalidRequest(String message) {
        return new JsonRpcException(INVALID_REQUEST, message);
    }

    public static JsonRpcException methodNotFound(String method) {
        return new JsonRpcException(METHOD_NOT_FOUND, "the method " + method + " does not exist/is not available");
    }

    public static JsonRpcException invalidParams(String message) {
        return new JsonRpcException(INVALID_PARAMS, message);
    }

    public static JsonRpcException internal(String message) {
        return new JsonRpcException(INTERNAL_ERROR, message);
    }

    public static JsonRpcException serverError(int code, String message) {
        return new JsonRpcException(code, message);
    }

    /** -32000, the code clients expect for "nonce too low", "already known" and similar. */
    public static JsonRpcException invalidInput(String message) {
        return new JsonRpcException(INVALID_INPUT, message);
    }

    public static JsonRpcException resourceNotFound(String message) {
        return new JsonRpcException(RESOURCE_NOT_FOUND, message);
    }

    public static JsonRpcException resourceUnavailable(String message) {
        return new JsonRpcException(RESOURCE_UNAVAILABLE, message);
    }

    public static JsonRpcException transactionRejected(String message) {
        return new JsonRpcException(TRANSACTION_REJECTED, message);
    }

    public static JsonRpcException methodNotSupported(String message) {
        return new JsonRpcException(METHOD_NOT_SUPPORTED, message);
    }

    public static JsonRpcException limitExceeded(String message) {
        return new JsonRpcException(LIMIT_EXCEEDED, message);
    }

    @Override
    public String toString() {
        return "JsonRpcException(" + code + ", " + getMessage() + ")";
    }
}
