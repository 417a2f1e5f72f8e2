package org.rollupnode.gateway;

import java.util.List;
import java.util.Set;
import org.rollupnode.execution.types.Address;

/**
 * Settings of one rpc-gateway replica.
 *
 * @param apis             enabled namespaces over HTTP (--http.api), lowercase
 * @param authorizedSigner blocks signed by anyone else are refused; null accepts the signer of block 1 and pins it
 * @param wsPort           WebSocket port (--ws.port), or -1 when --ws is off
 * @param wsApis           namespaces over WebSocket (--ws.api)
 * @param authorizedSignerFixed true when {@code authorizedSigner} is {@code --consensus.authorized-signer}: it then
 *                         takes precedence over the authorized-signer change records of signed-blocks (which
 *                         otherwise replace it from their position on)
 */
public record GatewayConfig(String host, int port, Set<String> apis, List<String> corsOrigins, String gatewayId,
                            Address authorizedSigner, String wsHost, int wsPort, Set<String> wsApis, boolean authorizedSignerFixed) {

    public GatewayConfig(String host, int port, Set<String> apis, List<String> corsOrigins, String gatewayId,
                         Address authorizedSigner, String wsHost, int wsPort, Set<String> wsApis) {
        this(host, port, apis, corsOrigins, gatewayId, authorizedSigner, wsHost, wsPort, wsApis, false);
    }

    public GatewayConfig(String host, int port, Set<String> apis, List<String> corsOrigins, String gatewayId, Address authorizedSigner) {
        this(host, port, apis, corsOrigins, gatewayId, authorizedSigner, host, -1, apis);
    }

    public GatewayConfig withWebSocket(String host, int port, Set<String> apis) {
        return new GatewayConfig(this.host, this.port, this.apis, corsOrigins, gatewayId, authorizedSigner, host, port, apis,
                authorizedSignerFixed);
    }

    /** The authorized signer is the flag's: change records in signed-blocks do not replace it. */
    public GatewayConfig withFixedAuthorizedSigner() {
        return new GatewayConfig(host, port, apis, corsOrigins, gatewayId, authorizedSigner, wsHost, wsPort, wsApis, true);
    }

    public boolean webSocketEnabled() {
        return wsPort >= 0;
    }
}
